"""Always on: the headless watcher, push channels, escalation, start at login, one monitor per user.

Qt-free modules (an import-linter contract keeps them so): :mod:`alert_loop` (the alert rules over
engine snapshots), :mod:`watcher` (``liqguard watch``), :mod:`channels` and :mod:`push` (apprise push
channels with per-channel rules), :mod:`escalation`, :mod:`config` (the settings block), :mod:`autostart`,
:mod:`single_instance`, :mod:`uptime` (heartbeat and down-time). :mod:`qt_bridge` is the window's side.
"""
