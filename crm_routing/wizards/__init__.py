from . import crm_route_plan
from . import crm_route_visit
