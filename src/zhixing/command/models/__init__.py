"""The command domain's models, one module per feature; each is imported here so Django finds it."""

from .alerts import Alert as Alert
from .alerts import AlertStep as AlertStep
from .dispatch import Evidence as Evidence
from .dispatch import EvidenceUpload as EvidenceUpload
from .dispatch import FieldTask as FieldTask
from .dispatch import TaskStep as TaskStep
from .dispatch import TeamPost as TeamPost
from .dispatch import Vehicle as Vehicle
from .plates import CarPark as CarPark
from .plates import ParkingOperator as ParkingOperator
from .plates import PlateHit as PlateHit
from .plates import WatchedPlate as WatchedPlate
from .situation import SituationTotal as SituationTotal
