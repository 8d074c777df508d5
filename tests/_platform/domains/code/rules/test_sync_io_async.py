"""sync_io_in_async: blocking calls inside an `async def` (FastAPI handlers, any coroutine); the same calls in a
plain function, or awaited async ones, give nothing; the patch awaits `asyncio.sleep`/`asyncio.to_thread`."""

from __future__ import annotations

import pytest
from support.code_rules import check, reviewed_patch, where

from functions._platform.domains.code.rules.sync_io_async import SyncIoInAsync

FASTAPI = "import subprocess, time, urllib.request\nimport httpx, requests\nfrom fastapi import FastAPI\n" \
          "app = FastAPI()\n@app.get('/status')\nasync def status(url: str):\n"


@pytest.mark.parametrize("call", [
    "time.sleep(1)", "requests.get(url, timeout=5)", "requests.post(url, json={})",
    "urllib.request.urlopen(url)", "subprocess.run(['uptime'], check=True)", "open('/etc/hostname')",
])
def test_a_blocking_call_in_an_async_handler_is_flagged(call):
    found = check(SyncIoInAsync(), FASTAPI + f"    return {call}\n")
    assert where(found) == [("app.py", 7, None, "medium")]
    assert found[0].rule == "sync_io_in_async" and found[0].category == "performance"
    assert found[0].symbol == "status" and "status()" in found[0].message


@pytest.mark.parametrize("source", [
    FASTAPI.replace("async def", "def") + "    time.sleep(1)\n    return requests.get(url, timeout=5)\n",
    FASTAPI + "    await asyncio.sleep(1)\n    return await asyncio.to_thread(requests.get, url, timeout=5)\n",
    FASTAPI + "    async with httpx.AsyncClient() as client:\n        return (await client.get(url)).text\n",
    FASTAPI + "    return await asyncio.create_subprocess_exec('uptime')\n",
])
def test_plain_functions_and_awaited_calls_are_not(source):
    assert check(SyncIoInAsync(), "import asyncio\n" + source) == []


@pytest.mark.parametrize("call, fixed", [
    ("time.sleep(1)", "await asyncio.sleep(1)"),
    ("requests.get(url, timeout=5)", "await asyncio.to_thread(requests.get, url, timeout=5)"),
    ("subprocess.run(['uptime'], check=True)", "await asyncio.to_thread(subprocess.run, ['uptime'], check=True)"),
    ("urllib.request.urlopen(url)", "await asyncio.to_thread(urllib.request.urlopen, url)"),
])
def test_the_patch_awaits_the_call_off_the_loop_and_the_finding_goes(tmp_path, call, fixed):
    hit, after = reviewed_patch(SyncIoInAsync(), FASTAPI + f"    return {call}\n", tmp_path)
    assert hit.patch_verified and hit.fix.risk == "low"
    assert after["app.py"].startswith("import subprocess, time, urllib.request\nimport httpx, requests\n"
                                      "from fastapi import FastAPI\nimport asyncio\n")
    assert f"    return {fixed}\n" in after["app.py"]
    assert check(SyncIoInAsync(), after) == []


def test_open_in_a_coroutine_gets_only_a_suggestion():
    [hit] = check(SyncIoInAsync(), "async def load(path):\n    with open(path) as f:\n        return f.read()\n")
    assert hit.line == 2 and "to_thread" in hit.fix.suggestion and not hit.fix.edits


def test_a_plain_function_defined_inside_a_coroutine_is_not_its_body():
    source = FASTAPI + "    def worker():\n        time.sleep(1)\n        return requests.get(url, timeout=5)\n" \
                       "    return await asyncio.to_thread(worker)\n"
    assert check(SyncIoInAsync(), "import asyncio\n" + source) == []


def test_a_coroutine_inside_a_coroutine_is_reported_once_for_its_own_call():
    source = FASTAPI + "    async def tick():\n        time.sleep(1)\n    return await tick()\n"
    found = check(SyncIoInAsync(), source)
    assert [(f.line, f.symbol) for f in found] == [(8, "tick")]


@pytest.mark.parametrize("imports, call", [
    ("from time import sleep", "sleep(1)"),
    ("from requests import get as fetch", "fetch(url, timeout=5)"),
    ("from subprocess import run", "run(['uptime'], check=True)"),
])
def test_a_blocking_call_imported_by_its_own_name_is_flagged(imports, call):
    assert where(check(SyncIoInAsync(), f"{imports}\n{FASTAPI}    return {call}\n")) == [("app.py", 8, None, "medium")]
