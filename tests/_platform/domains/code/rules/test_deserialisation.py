"""unsafe_deserialisation: pickle and friends, `yaml.load` without a safe loader; safe loaders and JSON give
nothing; the yaml patch turns the call into `yaml.safe_load` and the finding goes."""

from __future__ import annotations

import pytest
from support.code_rules import check, reviewed_patch, where

from functions._platform.domains.code.rules.deserialisation import UnsafeDeserialisation

FLASK = "import pickle, marshal, shelve, yaml, jsonpickle\nfrom flask import Flask, request\napp = Flask(__name__)\n" \
        "@app.post('/import')\ndef load():\n"
FASTAPI = "import pickle, yaml\nfrom fastapi import FastAPI, Request\napp = FastAPI()\n" \
          "@app.post('/import')\nasync def load(request: Request):\n    data = await request.body()\n"


@pytest.mark.parametrize("call", [
    "pickle.loads(request.data)", "pickle.load(request.files['dump'])", "marshal.loads(request.data)",
    "jsonpickle.decode(request.get_data(as_text=True))", "shelve.open(request.args['db'])",
])
def test_pickle_and_friends_are_flagged_with_a_suggestion_only(call):
    found = check(UnsafeDeserialisation(), FLASK + f"    return {call}\n")
    assert where(found) == [("app.py", 6, "CWE-502", "high")]
    assert found[0].rule == "unsafe_deserialisation" and found[0].symbol == "load"
    assert "JSON" in found[0].fix.suggestion and not found[0].fix.edits


@pytest.mark.parametrize("call", [
    "yaml.load(request.data)", "yaml.load(request.data, Loader=yaml.Loader)", "yaml.load(request.data, yaml.FullLoader)",
    "yaml.unsafe_load(request.data)", "yaml.full_load(request.data)", "list(yaml.load_all(request.data))",
])
def test_yaml_without_a_safe_loader_is_flagged(call):
    assert where(check(UnsafeDeserialisation(), FLASK + f"    return {call}\n")) == [("app.py", 6, "CWE-502", "high")]


@pytest.mark.parametrize("call", [
    "yaml.safe_load(request.data)", "yaml.load(request.data, Loader=yaml.SafeLoader)",
    "yaml.load(request.data, yaml.CSafeLoader)", "json.loads(request.data)", "request.get_json()",
])
def test_safe_loaders_and_json_are_not(call):
    assert check(UnsafeDeserialisation(), "import json\n" + FLASK + f"    return {call}\n") == []


def test_a_fastapi_handler_unpickling_the_body_is_flagged():
    found = check(UnsafeDeserialisation(), FASTAPI + "    return pickle.loads(data)\n")
    assert where(found) == [("app.py", 7, "CWE-502", "high")]


@pytest.mark.parametrize("call, safe", [
    ("yaml.load(data, Loader=yaml.Loader)", "yaml.safe_load(data)"),
    ("list(yaml.load_all(data))", "list(yaml.safe_load_all(data))"),
])
def test_the_yaml_patch_uses_safe_load_and_the_finding_goes(tmp_path, call, safe):
    hit, after = reviewed_patch(UnsafeDeserialisation(), FASTAPI + f"    return {call}\n", tmp_path)
    assert hit.patch_verified and hit.fix.risk == "medium"
    assert f"    return {safe}\n" in after["app.py"]
    assert check(UnsafeDeserialisation(), after) == []


@pytest.mark.parametrize(("imports", "call"), [
    ("from pickle import loads", "loads(request.data)"),
    ("from pickle import loads as unpickle", "unpickle(request.data)"),
    ("import pickle as pk", "pk.loads(request.data)"),
    ("from yaml import load", "load(request.data)"),
    ("from yaml import unsafe_load as read", "read(request.data)"),
])
def test_an_imported_or_aliased_loader_is_flagged_by_what_it_is(imports, call):
    found = check(UnsafeDeserialisation(), f"{imports}\n{FLASK}    return {call}\n")
    assert where(found) == [("app.py", 7, "CWE-502", "high")]
    assert not found[0].fix.edits  # `yaml` is not a name the module has, so no edit is offered


@pytest.mark.parametrize(("imports", "call"), [
    ("from json import loads", "loads(request.data)"),
    ("from yaml import safe_load as load", "load(request.data)"),
    ("from yaml import load, SafeLoader", "load(request.data, Loader=SafeLoader)"),
])
def test_a_safe_function_imported_under_a_loaders_name_is_not(imports, call):
    assert check(UnsafeDeserialisation(), f"{imports}\n{FLASK}    return {call}\n") == []
