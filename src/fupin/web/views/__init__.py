"""Views of the web shell: the area browser. The apps' pages are in their own ``views``
(found through their ``urls.py``); ``fupin.web.views.common`` holds what they share
(``show_error`` is the one rendering of a service's ``ApplicationError``)."""

from fupin.web.views.areas import area_detail, area_search, home
from fupin.web.views.common import show_error

__all__ = ["area_detail", "area_search", "home", "show_error"]
