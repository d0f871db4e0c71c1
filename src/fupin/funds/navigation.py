"""The funds pages are under the programs' entry of the main menu."""

from fupin.web import navigation

navigation.also_active("web:batch_list", navigation.path_prefixes("/funds/"))
