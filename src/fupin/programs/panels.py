"""What the programs app brings to the web shell's pages besides its own views: how its
project page runs an action posted by another app's panel (the funds' disbursement)."""

from fupin.programs.views.programs import project_action
from fupin.web import panels

panels.register_action_runner("project", project_action)
