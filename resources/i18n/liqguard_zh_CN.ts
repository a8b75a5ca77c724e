<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertDialog</name>
    <message>
        <location filename="../../desktop/ui/notify.py" line="313"/>
        <source>LiqGuard: critical alert</source>
        <translation>LiqGuard：严重警报</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notify.py" line="325"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notify.py" line="326"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>AlertText</name>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="31"/>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="39"/>
        <source>Distance to liquidation</source>
        <translation>距强平距离</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="40"/>
        <source>Break move</source>
        <translation>账户强平临界波动</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="41"/>
        <location filename="../../desktop/ui/alert_text.py" line="42"/>
        <source>Margin ratio</source>
        <translation>保证金率</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="43"/>
        <source>Cascade score</source>
        <translation>连环爆仓评分</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="50"/>
        <source>calm</source>
        <translation>平静</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="51"/>
        <source>loaded</source>
        <translation>蓄势</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="52"/>
        <source>firing</source>
        <translation>爆发</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="53"/>
        <source>exhausting</source>
        <translation>衰竭</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="63"/>
        <source>%1: %2 %3</source>
        <translation>%1：%2 %3</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="65"/>
        <source>%1 %2 is at or below the %3 tier (%4 of %5).</source>
        <translation>%1 %2，已达到或低于 %3 档位（第 %4 档，共 %5 档）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="67"/>
        <source>%1 %2 is at or above the %3 tier (%4 of %5).</source>
        <translation>%1 %2，已达到或高于 %3 档位（第 %4 档，共 %5 档）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="70"/>
        <source>%1: %2 back past %3</source>
        <translation>%1：%2 已回到 %3 档位之外</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="73"/>
        <source>%1 %2; no tier in force.</source>
        <translation>%1 %2；当前无警报档位。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="75"/>
        <source>%1 %2; tier %3 of %4 still in force.</source>
        <translation>%1 %2；仍处于第 %3 档（共 %4 档）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="83"/>
        <source>%1: cascade regime is %2</source>
        <translation>%1：连环爆仓状态为%2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="85"/>
        <source>%1: cascade regime back to %2</source>
        <translation>%1：连环爆仓状态回到%2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="87"/>
        <source>%1: cascade regime eased to %2</source>
        <translation>%1：连环爆仓状态缓和为%2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="88"/>
        <source>The market regime is now %1.</source>
        <translation>市场状态现为%1。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="96"/>
        <source>%1: data fresh again</source>
        <translation>%1：数据已恢复更新</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="97"/>
        <source>Last update %1 s ago.</source>
        <translation>最近一次更新在 %1 秒前。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="100"/>
        <source>No update for %1 s; limit %2 s.</source>
        <translation>已 %1 秒未更新；上限 %2 秒。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="102"/>
        <source>(nothing received yet)</source>
        <translation>（尚未收到任何数据）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="103"/>
        <source>%1: data is stale</source>
        <translation>%1：数据已过期</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="109"/>
        <source>%1: reconnected</source>
        <translation>%1：已重新连接</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="110"/>
        <source>The feed is connected again.</source>
        <translation>数据源已重新连接。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="112"/>
        <source>The feed reports it is not connected.</source>
        <translation>数据源报告未连接。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alert_text.py" line="113"/>
        <source>%1: disconnected</source>
        <translation>%1：连接已断开</translation>
    </message>
</context>
<context>
    <name>AlertsDock</name>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="220"/>
        <source>Alerts</source>
        <translation>警报</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="247"/>
        <source>All levels</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="248"/>
        <source>Warning and critical</source>
        <translation>警告和严重</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="249"/>
        <source>Critical only</source>
        <translation>仅严重</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="250"/>
        <source>Needs acknowledgement</source>
        <translation>需要确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="252"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="254"/>
        <source>Snooze</source>
        <translation>暂停提醒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="260"/>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/alerts_dock.py" line="328"/>
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n 条警报</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/alerts_dock.py" line="330"/>
        <source>%n to acknowledge</source>
        <translation>
            <numerusform>%n 条待确认</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AlertsTableModel</name>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="65"/>
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="66"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="67"/>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="78"/>
        <source>Snoozed until %1</source>
        <translation>暂停提醒至 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="81"/>
        <source>Needs acknowledgement</source>
        <translation>需要确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="83"/>
        <source>Acknowledged %1</source>
        <translation>已确认 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="85"/>
        <source>Cleared</source>
        <translation>已解除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="111"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="112"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="113"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="114"/>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/alerts_dock.py" line="115"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Account saved: %1. It is monitored from the next start.</source>
        <translation type="vanished">账户已保存：%1。下次启动时开始监控。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="227"/>
        <source>Account saved: %1. Its positions appear after the first read.</source>
        <translation>账户已保存：%1。首次读取后将显示其持仓。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="256"/>
        <source>The language changes when LiqGuard is restarted.</source>
        <translation>语言将在 LiqGuard 重启后更改。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="262"/>
        <source>Settings could not be saved: {0}</source>
        <translation>设置无法保存：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="267"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="267"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="276"/>
        <source>System</source>
        <translation>跟随系统</translation>
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
        <location filename="../../desktop/ui/notify.py" line="124"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notify.py" line="128"/>
        <source>Snooze</source>
        <translation>暂停提醒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notify.py" line="131"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>
