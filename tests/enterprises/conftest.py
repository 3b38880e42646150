"""The West Coast plan with its indicators and people, an industry sector and its enterprises."""

from tests.enterprises.fixtures import (  # noqa: F401
    credit_code,
    enterprise,
    gxj,
    industry,
    other_enterprise,
)
from tests.indicators.conftest import (  # noqa: F401
    area,
    english,
    indicator,
    indicators_member,
    plan,
    steady,
    tjj,
    tjj_reporter,
)
