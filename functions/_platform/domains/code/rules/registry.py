"""The review's rules. Adding a rule is one module and one line here."""

from __future__ import annotations

from functions._platform.domains.code.rules.contract import Rule
from functions._platform.domains.code.rules.csrf import Csrf
from functions._platform.domains.code.rules.deserialisation import UnsafeDeserialisation
from functions._platform.domains.code.rules.injection import CodeInjection, CommandInjection
from functions._platform.domains.code.rules.missing_timeout import MissingTimeout
from functions._platform.domains.code.rules.n_plus_one import NPlusOne
from functions._platform.domains.code.rules.path_traversal import PathTraversal
from functions._platform.domains.code.rules.permissive_cors import PermissiveCors
from functions._platform.domains.code.rules.shape_only_auth import ShapeOnlyCredential
from functions._platform.domains.code.rules.sql_injection import SqlInjection
from functions._platform.domains.code.rules.ssrf import Ssrf
from functions._platform.domains.code.rules.sync_io_async import SyncIoInAsync
from functions._platform.domains.code.rules.template_loops import TemplateLazyLoop
from functions._platform.domains.code.rules.unbounded_query import UnboundedQuery
from functions._platform.domains.code.rules.weak_auth import WeakAuth
from functions._platform.domains.code.rules.xss import Xss


def rules() -> list[Rule]:
    return [SqlInjection(), Xss(), Csrf(), PermissiveCors(), UnsafeDeserialisation(), WeakAuth(), ShapeOnlyCredential(),
            CommandInjection(), CodeInjection(), PathTraversal(), Ssrf(), NPlusOne(), TemplateLazyLoop(),
            UnboundedQuery(), SyncIoInAsync(), MissingTimeout()]


KINDS = ("sql_injection", "xss", "csrf", "permissive_cors", "unsafe_deserialisation", "weak_auth", "command_injection",
         "code_injection", "path_traversal", "ssrf", "n_plus_one", "unbounded_query", "sync_io_in_async", "missing_timeout")
