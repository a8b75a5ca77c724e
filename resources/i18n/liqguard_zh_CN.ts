<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertDialog</name>
    <message>
        <location filename="../../desktop/ui/notify.py" line="307"/>
        <source>LiqGuard: critical alert</source>
        <translation>LiqGuard：严重警报</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notify.py" line="318"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notify.py" line="319"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>AlertsDock</name>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="216"/>
        <source>Alerts</source>
        <translation>警报</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="243"/>
        <source>All levels</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="244"/>
        <source>Warning and critical</source>
        <translation>警告和严重</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="245"/>
        <source>Critical only</source>
        <translation>仅严重</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="246"/>
        <source>Needs acknowledgement</source>
        <translation>需要确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="248"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="250"/>
        <source>Snooze</source>
        <translation>暂停提醒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="256"/>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/alerts_dock.py" line="324"/>
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n 条警报</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/alerts_dock.py" line="326"/>
        <source>%n to acknowledge</source>
        <translation>
            <numerusform>%n 条待确认</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AlertsTableModel</name>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="64"/>
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="65"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="66"/>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="77"/>
        <source>Snoozed until %1</source>
        <translation>暂停提醒至 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="80"/>
        <source>Needs acknowledgement</source>
        <translation>需要确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="82"/>
        <source>Acknowledged %1</source>
        <translation>已确认 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="84"/>
        <source>Cleared</source>
        <translation>已解除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="110"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="111"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="112"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="113"/>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="114"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="72"/>
        <source>LiqGuard settings</source>
        <translation>LiqGuard 设置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="77"/>
        <source>Alert tiers (worst last)</source>
        <translation>警报档位（最严重的在最后）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="82"/>
        <source>Distance to liquidation</source>
        <translation>距强平距离</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="86"/>
        <source>Margin ratio</source>
        <translation>保证金率</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="90"/>
        <source>Cascade score (0-100)</source>
        <translation>连环爆仓评分（0-100）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="92"/>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="94"/>
        <source>Play a sound for warnings and critical alerts</source>
        <translation>警告和严重警报时播放声音</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="95"/>
        <source>Also open a dialog for critical alerts</source>
        <translation>严重警报时另外弹出对话框</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="98"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="101"/>
        <source>Snooze length</source>
        <translation>暂停提醒时长</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="103"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="106"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="110"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="111"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="112"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="113"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="114"/>
        <source>A new language applies after LiqGuard restarts.</source>
        <translation>新的语言将在 LiqGuard 重启后生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="168"/>
        <source>Distance tiers must get closer to liquidation: each smaller than the one before.</source>
        <translation>距强平距离档位必须逐级接近强平：每一档都要小于前一档。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="170"/>
        <source>Margin-ratio tiers must rise: each larger than the one before.</source>
        <translation>保证金率档位必须逐级上升：每一档都要大于前一档。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="172"/>
        <source>Cascade-score tiers must rise: each larger than the one before.</source>
        <translation>连环爆仓评分档位必须逐级上升：每一档都要大于前一档。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="176"/>
        <source>These tiers are too close together: %1</source>
        <translation>这些档位相距太近：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="211"/>
        <source>The settings could not be saved: %1</source>
        <translation>设置无法保存：%1</translation>
    </message>
</context>
<context>
    <name>Toast</name>
    <message>
        <location filename="../../desktop/ui/notify.py" line="120"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notify.py" line="124"/>
        <source>Snooze</source>
        <translation>暂停提醒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notify.py" line="127"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>
