from . import models
from . import rules
