from . import chart
