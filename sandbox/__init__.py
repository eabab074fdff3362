"""A local service that speaks the DetectAIFakeFaces contract: signatures, envelope,
validation, rate limit, scenarios and faults, over real HTTP on loopback.

    with Sandbox(scenario="samples/scenario.toml") as sandbox:
        client = FaceIdClient(credentials, endpoint=sandbox.url)
"""

from __future__ import annotations

from sandbox.faults import Faults
from sandbox.scenario import Scenario, ScenarioError, load_scenario
from sandbox.server import DEMO_SECRET_ID, DEMO_SECRET_KEY, Sandbox, SandboxStartError

__all__ = [
    "DEMO_SECRET_ID",
    "DEMO_SECRET_KEY",
    "Faults",
    "Sandbox",
    "SandboxStartError",
    "Scenario",
    "ScenarioError",
    "load_scenario",
]
