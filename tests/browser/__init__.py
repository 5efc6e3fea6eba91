"""Real-browser checks of the built site (headless Chromium); see conftest.py."""
