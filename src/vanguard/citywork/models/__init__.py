"""City work (城市更新管理): the third battle. Models are kept by subject."""

from vanguard.citywork.models.campaigns import CampaignReport, CampaignWeek, CityCampaign
from vanguard.citywork.models.cases import Case, CaseCategory, CaseEvent, CaseRoute
from vanguard.citywork.models.grids import Grid
from vanguard.citywork.models.patrols import Patrol, PatrolFinding
from vanguard.citywork.models.photos import Photo, PhotoAttachment
from vanguard.citywork.models.places import Criterion, Inspection, Place
from vanguard.citywork.models.renewal import RenewalKind, RenewalProject, RenewalReport
from vanguard.citywork.models.volunteers import VolunteerActivity, VolunteerFinding, VolunteerSignup

__all__ = [
    "Case",
    "CaseCategory",
    "CaseEvent",
    "CaseRoute",
    "CampaignReport",
    "CampaignWeek",
    "CityCampaign",
    "Criterion",
    "Grid",
    "Inspection",
    "Patrol",
    "PatrolFinding",
    "Photo",
    "PhotoAttachment",
    "Place",
    "RenewalKind",
    "RenewalProject",
    "RenewalReport",
    "VolunteerActivity",
    "VolunteerFinding",
    "VolunteerSignup",
]
