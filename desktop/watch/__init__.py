"""Always on: the headless watcher, push channels, escalation, start at login, one monitor per user.

Qt-free (an import-linter contract keeps them so):

* :mod:`watcher` — ``liqguard watch``: the engine and :mod:`alert_loop` (the alert rules over snapshots)
  with hooks :mod:`watch_push` (push channels) and :mod:`watch_uptime` (alive record, heartbeat);
* :mod:`config` — the ``always_on`` settings block; :mod:`channels` — apprise URLs in the keychain and
  one send; :mod:`routing` — which channels; :mod:`push` — per-channel level, quiet hours, rate limit;
* :mod:`escalation`, :mod:`uptime`, :mod:`autostart`, :mod:`single_instance`, :mod:`notify_test`.

The window's side (Qt): :mod:`qt_bridge` (escalation and channel status), :mod:`qt_tray` (tray, login
entry, bring to front), :mod:`qt_settings` (Settings > Always on).
"""
