from . import portal
from . import digest
from . import api
