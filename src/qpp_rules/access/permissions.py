"""ACC-PERM-1: what each role of each organization type may do, year by year.

The access guide's matrix is the year's ``access.permissions`` table; the registration rights
(``REGISTER_WEB_INTERFACE``, ``REGISTER_CAHPS``) follow the year's registration table: the
Security Official of an organization type that may register for a program that year holds
the right to register for it (REG-ELIG-3, erratum E8). Fail closed (ACC-DENY-1): anything
unknown grants nothing.

>>> import qpp_rules as qr
>>> from qpp_rules.access import permissions, Permission, Role
>>> Permission.REGISTER_WEB_INTERFACE in permissions(
...     qr.OrgType.VIRTUAL_GROUP, Role.SECURITY_OFFICIAL, qr.policy_for(2019))
True
>>> Permission.REGISTER_WEB_INTERFACE in permissions(
...     qr.OrgType.VIRTUAL_GROUP, Role.SECURITY_OFFICIAL, qr.policy_for(2018))
False
"""

from __future__ import annotations

from qpp_rules.access.model import Actor
from qpp_rules.decisions import Decision, Reason
from qpp_rules.kernel.citations import cite
from qpp_rules.kernel.fields import a_or_an
from qpp_rules.policy.frozenmap import FrozenMap
from qpp_rules.policy.model import PolicyYear
from qpp_rules.policy.unknown import refuse_unknown
from qpp_rules.vocabulary import ApmModel, OrgType, Permission, Program, Role

__all__ = ["authorize", "may", "permissions"]

_REGISTER = {
    Program.WEB_INTERFACE: Permission.REGISTER_WEB_INTERFACE,
    Program.CAHPS: Permission.REGISTER_CAHPS,
}
_NOTHING: frozenset[Permission] = frozenset()


def permissions(
    kind: object, role: object, policy: PolicyYear, *, model: object = None
) -> frozenset[Permission]:
    """The permissions of ``role`` in an organization of type ``kind`` under ``policy``
    (ACC-PERM-1). Unknown kinds or roles grant nothing (ACC-DENY-1).

    ``model`` (optional) is an APM Entity's model: the APM Entity's feedback is for the
    year's ``access.apm_feedback_models`` only (SSP and Next Generation ACOs, not CPC+). An
    unknown model grants nothing (ACC-DENY-1); without a model the APM Entity's table applies
    as written. ``model`` is not read for other kinds.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import Permission, Role
    >>> p = qr.policy_for(2019)
    >>> Permission.VIEW_FEEDBACK in permissions(
    ...     qr.OrgType.APM_ENTITY, Role.STAFF_USER, p, model=qr.ApmModel.CPC_PLUS)
    False
    >>> permissions(qr.OrgType.APM_ENTITY, Role.STAFF_USER, p, model="CPC+")
    frozenset()
    """
    if not isinstance(kind, OrgType) or not isinstance(role, Role):
        return _NOTHING
    if not isinstance(policy, PolicyYear):
        return _NOTHING
    if kind is not OrgType.APM_ENTITY:
        model = None
    elif model is not None and not isinstance(model, ApmModel):
        return _NOTHING
    key = (permissions, kind, role, model)
    cached: frozenset[Permission] | None = policy.answers.get(key)
    if cached is not None:
        return cached
    # Fail closed on a value the year does not know (authorize says which, ACC-PERM-1).
    table = (policy.access.permissions or FrozenMap()).get(kind)
    granted = set(table.get(role, _NOTHING)) if table is not None else set()
    if role is Role.SECURITY_OFFICIAL:
        for program, kinds in (policy.registration.may_register or FrozenMap()).items():
            if kind in kinds:
                granted.add(_REGISTER[program])
    if model is not None and model not in (policy.access.apm_feedback_models or ()):
        granted.discard(Permission.VIEW_FEEDBACK)
    return policy.answers.put(key, frozenset(granted))


def may(
    kind: object, role: object, permission: object, policy: PolicyYear, *, model: object = None
) -> bool:
    """Whether ``role`` in an organization of type ``kind`` holds ``permission``; fail closed.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import Role, Permission
    >>> may(qr.OrgType.PRACTICE, Role.STAFF_USER, Permission.REGISTER_CAHPS, qr.policy_for(2019))
    False
    """
    if not isinstance(permission, Permission):
        return False
    return permission in permissions(kind, role, policy, model=model)


def authorize(
    actor: object, permission: object, policy: PolicyYear, *, model: object = None
) -> Decision:
    """May ``actor`` (an :class:`Actor`) do ``permission`` under ``policy``? An explained
    :func:`may` (ACC-PERM-1), failing closed on anything unknown (ACC-DENY-1). The answer is
    computed once per (kind, role, permission, model) and policy, then shared.

    >>> import qpp_rules as qr
    >>> from qpp_rules.access import Actor, Permission, Role
    >>> d = authorize(Actor(qr.OrgType.VIRTUAL_GROUP, Role.SECURITY_OFFICIAL),
    ...               Permission.REGISTER_CAHPS, qr.policy_for(2018))
    >>> bool(d), d.rule_ids
    (False, ('ACC-PERM-1',))
    """
    if not isinstance(policy, PolicyYear):
        return Decision.refuse(
            Reason(
                "ACC-DENY-1", "No policy year was given: nothing is granted.", cite("ACC-DENY-1")
            )
        )
    if not isinstance(actor, Actor) or not isinstance(permission, Permission):
        return Decision.refuse(
            Reason(
                "ACC-DENY-1",
                "An unknown actor or permission is granted nothing (fail closed).",
                cite("ACC-DENY-1"),
            )
        )
    kind, role = actor.kind, actor.role
    if kind is not OrgType.APM_ENTITY:
        model = None
    elif model is not None and not isinstance(model, ApmModel):
        return Decision.refuse(
            Reason(
                "ACC-DENY-1",
                "An unknown APM model is granted nothing (fail closed).",
                cite("ACC-DENY-1"),
            )
        )
    key = (authorize, kind, role, permission, model)
    cached: Decision | None = policy.answers.get(key)
    if cached is not None:
        return cached
    granted = permission in permissions(kind, role, policy, model=model)
    if permission.is_registration_right:
        source = "registration.may_register"
        program = next(p for p, right in _REGISTER.items() if right is permission)
        needed = f"{source}.{program.value}"
    elif permission is Permission.VIEW_FEEDBACK and model is not None:
        source = "access.apm_feedback_models"
    else:
        source = "access.permissions"
    if not permission.is_registration_right:
        needed = source
    missing = refuse_unknown(policy, [(needed, "ACC-PERM-1")])
    if missing is not None:
        return policy.answers.put(key, missing)
    where = "" if model is None else f" ({model.value})"
    verb = "may" if granted else "may not"
    reason = Reason(
        "ACC-PERM-1",
        f"In {policy.label}, {a_or_an(role.value)} of {a_or_an(kind.value)}{where} {verb} "
        f"{permission.value}.",
        policy.cite(source),
    )
    return policy.answers.put(key, Decision(granted, (reason,)))
