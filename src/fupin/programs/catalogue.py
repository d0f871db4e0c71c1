"""The output catalogue as shipped: every ``output.*`` indicator of the specification
(``analytics/data/indicators.csv``) is one kind, with the same code after ``output.``.
The province adds kinds of its own in the database; these are loaded by a migration."""

# code, name (Chinese), name (English), unit, category
CATALOGUE: list[tuple[str, str, str, str, str]] = [
    ("dairy_cows", "购买奶牛", "Dairy cows purchased", "head", "industry"),
    ("beef_cattle", "购买肉牛", "Beef cattle purchased", "head", "industry"),
    ("pigs", "购买生猪", "Live pigs purchased", "head", "industry"),
    ("sheep", "购买羊", "Sheep purchased", "head", "industry"),
    ("poultry", "购买禽", "Poultry purchased", "birds", "industry"),
    ("deer", "购买鹿", "Deer purchased", "head", "industry"),
    ("fur_animals", "购买狐貉兔", "Foxes raccoon dogs and rabbits purchased", "head", "industry"),
    ("crop_seed", "引进粮食作物新品种", "New crop varieties introduced", "t", "industry"),
    ("livestock_shed", "建设养殖小区", "Livestock housing built", "m2", "industry"),
    ("road", "修建道路", "Roads built", "km", "infrastructure"),
    ("bridges", "修建桥涵", "Bridges and culverts built", "count", "infrastructure"),
    ("drought_wells", "打抗旱井", "Drought-resisting wells dug", "m", "infrastructure"),
    ("vet_stations", "畜牧技术服务站", "Animal husbandry technical service stations", "count", "public_service"),
    ("milk_stations", "机械化挤奶站", "Mechanized milk stations", "count", "industry"),
    ("greenhouses", "建设温室大棚", "Greenhouses built", "m2", "industry"),
    ("farm_machinery", "购置大型农机具", "Large agricultural machinery purchased", "sets", "infrastructure"),
    ("machinery_sheds", "建设农机库", "Agricultural machinery warehouses built", "m2", "infrastructure"),
    ("drinking_wells", "人畜饮水井", "Human and livestock drinking water wells", "count", "infrastructure"),
    ("tap_water", "安装自来水户", "Households connected to tap water", "households", "infrastructure"),
    ("catv", "安装有线电视户", "Households connected to cable TV", "households", "social"),
    ("street_lamps", "安装路灯", "Street lamps installed", "count", "public_service"),
    ("clinics", "建卫生所", "Clinics set up", "count", "social"),
    ("activity_rooms", "村民活动室", "Villagers' activity rooms", "count", "social"),
    ("leisure_squares", "休闲广场", "Leisure squares", "count", "social"),
    ("roadside_ditches", "村屯边沟", "Village roadside ditches", "m", "infrastructure"),
]
