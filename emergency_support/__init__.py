from . import controllers
from . import models
from . import rpc
from . import rules
from . import wizards
