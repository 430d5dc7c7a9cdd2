from . import digest
from . import portal
