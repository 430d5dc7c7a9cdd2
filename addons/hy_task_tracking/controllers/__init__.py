from . import portal
from . import digest
from . import api
from . import mail_attachment
from . import home
