from . import portal
from . import portal_info_request
from . import urge_dispatch
from . import digest
from . import api
from . import mail_attachment
from . import home
