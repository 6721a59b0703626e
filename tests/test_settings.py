"""Settings from the environment: typed values, and a bad value is one line naming the variable
and what it takes, with exit code 2."""

import subprocess
import sys
from pathlib import Path

import pytest

from termgraph.errors import BadSetting
from termgraph.settings import Settings, settings_from_env


@pytest.mark.parametrize("env,field,value", [
    ({"TERMGRAPH_PORT": "8080"}, "port", 8080),
    ({"TERMGRAPH_PORT": " 8080 "}, "port", 8080),
    ({"TERMGRAPH_HOST": "0.0.0.0"}, "host", "0.0.0.0"),
    ({"TERMGRAPH_QUERY_TIMEOUT": "2.5"}, "query_timeout", 2.5),
    ({"TERMGRAPH_WORKERS": "4"}, "workers", 4),
    ({}, "extra_workers", 1),
    ({"TERMGRAPH_EXTRA_WORKERS": "0"}, "extra_workers", 0),  # none: a light client waits as any client
    ({"TERMGRAPH_EXTRA_WORKERS": "2"}, "extra_workers", 2),
    ({"TERMGRAPH_RATE_LIMIT": "0"}, "rate_limit_seconds", 0.0),
    ({"TERMGRAPH_TRUSTED_PROXIES": "127.0.0.1, ::1"}, "trusted_proxies", ("127.0.0.1", "::1")),
    ({"TERMGRAPH_BASE_URL": "https://example.org/tg/"}, "base_url", "https://example.org/tg/"),
    ({"TERMGRAPH_STORE_IN_MEMORY": "1"}, "store_in_memory", True),
    ({"TERMGRAPH_STORE_IN_MEMORY": "no"}, "store_in_memory", False),
    ({"TERMGRAPH_CACHE_DIR": "/srv/cache"}, "cache_dir", Path("/srv/cache")),
    ({}, "cache_dir", None),  # (serve then takes the user's cache folder: graph/cache.py)
    ({"TERMGRAPH_PORT": ""}, "port", 8000),  # empty: the default
    ({}, "trusted_proxies", ()),  # no one's forwarded headers are trusted by default
])
def test_values(env, field, value):
    assert getattr(settings_from_env(env), field) == value


def test_root_and_overrides(tmp_path):
    s = settings_from_env({"TERMGRAPH_ROOT": str(tmp_path), "TERMGRAPH_PORT": "9000"}, port=9001, host=None)
    assert s.root == Path(tmp_path) and s.port == 9001 and s.host == Settings(root=tmp_path).host


@pytest.mark.parametrize("env,message", [
    ({"TERMGRAPH_PORT": "eighty"}, "TERMGRAPH_PORT='eighty': not a valid value; give a port number such as 8000"),
    ({"TERMGRAPH_PORT": "70000"}, "TERMGRAPH_PORT='70000': must be between 1 and 65535; give a port number such as 8000"),
    ({"TERMGRAPH_WORKERS": "0"},
     "TERMGRAPH_WORKERS='0': must be a finite number greater than 0; give a number of processes, such as 2"),
    ({"TERMGRAPH_EXTRA_WORKERS": "-1"}, "TERMGRAPH_EXTRA_WORKERS='-1': must be a finite number, 0 or more; "
                                        "give a number of processes, 0 for none, such as 1"),
    ({"TERMGRAPH_EXTRA_WORKERS": "one"}, "TERMGRAPH_EXTRA_WORKERS='one': not a valid value; "
                                         "give a number of processes, 0 for none, such as 1"),
    ({"TERMGRAPH_QUERY_TIMEOUT": "nan"},
     "TERMGRAPH_QUERY_TIMEOUT='nan': must be a finite number greater than 0; give seconds, such as 10"),
    ({"TERMGRAPH_RATE_LIMIT": "-1"},
     "TERMGRAPH_RATE_LIMIT='-1': must be a finite number, 0 or more; give seconds per window, 0 for off"),
    ({"TERMGRAPH_STORE_IN_MEMORY": "maybe"}, "TERMGRAPH_STORE_IN_MEMORY='maybe': must be 1 or 0; give 1 or 0"),
    ({"TERMGRAPH_MAX_RESULT_BYTES": "1e6"},
     "TERMGRAPH_MAX_RESULT_BYTES='1e6': not a valid value; give bytes, such as 50000000"),
])
def test_bad_values(env, message):
    with pytest.raises(BadSetting) as info:
        settings_from_env(env)
    assert str(info.value) == message and info.value.exit_code == 2


def test_a_bad_environment_value_is_one_line_and_exit_2(root):
    import os

    env = {**os.environ, "TERMGRAPH_WORKERS": "two"}
    run = subprocess.run([sys.executable, "-m", "termgraph", "validate"], env=env, capture_output=True, text=True,
                         cwd=root)
    assert run.returncode == 2
    assert run.stderr == ("termgraph: error: TERMGRAPH_WORKERS='two': not a valid value; "
                          "give a number of processes, such as 2\n")


def test_the_extra_workers_setting_reaches_the_fairness_rule():
    from termgraph.web.state import pool_settings

    settings = settings_from_env({"TERMGRAPH_EXTRA_WORKERS": "0"})
    assert pool_settings(settings).fairness.extra == 0
    assert pool_settings(settings_from_env({})).fairness.extra == 1
