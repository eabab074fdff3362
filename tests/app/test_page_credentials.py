"""The page's keys follow the client's one precedence rule, with the deployment's secrets
as its explicit values (pasted keys of this session first)."""

from __future__ import annotations

import pytest

from client import Credentials
from components.app_secrets import AppSecrets
from components.backend import page_credentials


@pytest.fixture
def environment_keys(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDenvironment")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "environment-key")


def test_pasted_keys_come_first(environment_keys):
    pasted = Credentials("AKIDpasted", "pasted-key", source="pasted")
    secrets = AppSecrets(secret_id="AKIDsecrets", secret_key="secrets-key")
    assert page_credentials(secrets, pasted).credentials is pasted


def test_the_deployments_secrets_come_before_the_environment(environment_keys):
    found = page_credentials(AppSecrets(secret_id="AKIDsecrets", secret_key="secrets-key"), None)
    assert found.credentials is not None and found.problem is None
    assert found.credentials.secret_id == "AKIDsecrets"
    assert found.credentials.source == "secrets"


def test_without_secrets_the_environment_is_used(environment_keys):
    found = page_credentials(AppSecrets(), None)
    assert found.credentials is not None and found.credentials.secret_id == "AKIDenvironment"


def test_half_a_key_pair_in_the_secrets_is_a_problem_in_both_languages(environment_keys):
    found = page_credentials(AppSecrets(secret_id="AKIDsecrets"), None)
    assert found.credentials is None and found.problem is not None
    assert "SecretKey" in found.problem.text("en") and "secrets" in found.problem.text("en")
    assert "缺少" in found.problem.text("zh")
    assert "AKIDsecrets" not in found.problem.text("en")
