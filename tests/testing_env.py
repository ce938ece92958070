"""Loaded by pytest before Django's settings (``-p tests.testing_env`` in pyproject.toml).

Settings read ``DJANGO_TESTING`` rather than guessing from the modules imported.
"""

import os

os.environ["DJANGO_TESTING"] = "1"
