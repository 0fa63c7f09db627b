"""The governance app's models, one module per idea; importing them here makes them the app's.

- `accounts`: organisations of the chain, memberships and roles;
- `structure`: the review's themes, action perspectives and recommendations;
- `boards`: boards, meetings, agenda items, decisions and impact assessments;
- `steering`: the chain goal, assignments, targets and signals (Plan-Do-Check-Act);
- `reports`: reporting moments and the progress reports made for them;
- `audit`: the append-only audit trail; `sessions`: which session belongs to whom;
- `notifications`: reminders and news per user, and how each wants them;
- `packs`: the board packs made for meetings.
- `feeds`: a user's secret calendar (iCal) address.
"""

from .accounts import Membership, Organisation, Role
from .audit import AuditAction, AuditEvent, AuditOutcome
from .boards import (
    AgendaItem,
    AssessmentKind,
    AssessmentOutcome,
    Board,
    BoardKind,
    BoardMember,
    BoardRelation,
    Decision,
    DecisionStatus,
    ImpactAssessment,
    Meeting,
    MemberRole,
    PartnerImpact,
    RelationKind,
)
from .feeds import CalendarFeed
from .notifications import (
    MailPreference,
    MailState,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from .packs import BoardPack
from .reports import ProgressReport, ReportingMoment, ReportStatus
from .sessions import LoginSession
from .steering import (
    Assignment,
    ChainGoal,
    ClosedReason,
    Direction,
    Signal,
    SignalKind,
    SignalStatus,
    Target,
)
from .structure import (
    ActionPerspective,
    LocalisedTitleMixin,
    Phase,
    Recommendation,
    RecommendationStatus,
    SourceReport,
    Theme,
)

__all__ = [
    "ActionPerspective",
    "AgendaItem",
    "AssessmentKind",
    "AssessmentOutcome",
    "Assignment",
    "AuditAction",
    "AuditEvent",
    "AuditOutcome",
    "Board",
    "BoardKind",
    "BoardMember",
    "BoardPack",
    "BoardRelation",
    "CalendarFeed",
    "ChainGoal",
    "ClosedReason",
    "Decision",
    "DecisionStatus",
    "Direction",
    "ImpactAssessment",
    "LocalisedTitleMixin",
    "LoginSession",
    "MailPreference",
    "MailState",
    "Meeting",
    "MemberRole",
    "Membership",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Organisation",
    "PartnerImpact",
    "Phase",
    "ProgressReport",
    "Recommendation",
    "RecommendationStatus",
    "RelationKind",
    "ReportStatus",
    "ReportingMoment",
    "Role",
    "Signal",
    "SignalKind",
    "SignalStatus",
    "SourceReport",
    "Target",
    "Theme",
]
