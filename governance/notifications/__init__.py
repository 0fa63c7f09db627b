"""Notifications: reminders and news per user, in the portal and by e-mail (issue 13)."""
