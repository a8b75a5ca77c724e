<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertDialog</name>
    <message>
        <source>LiqGuard: critical alert</source>
        <translation>LiqGuard：严重警报</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>AlertText</name>
    <message>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Distance to liquidation</source>
        <translation>距强平距离</translation>
    </message>
    <message>
        <source>Break move</source>
        <translation>账户强平临界波动</translation>
    </message>
    <message>
        <source>Margin ratio</source>
        <translation>保证金率</translation>
    </message>
    <message>
        <source>Cascade score</source>
        <translation>连环爆仓评分</translation>
    </message>
    <message>
        <source>calm</source>
        <translation>平静</translation>
    </message>
    <message>
        <source>loaded</source>
        <translation>蓄势</translation>
    </message>
    <message>
        <source>firing</source>
        <translation>爆发</translation>
    </message>
    <message>
        <source>exhausting</source>
        <translation>衰竭</translation>
    </message>
    <message>
        <source>%1: %2 %3</source>
        <translation>%1：%2 %3</translation>
    </message>
    <message>
        <source>%1 %2 is at or below the %3 tier (%4 of %5).</source>
        <translation>%1 %2，已达到或低于 %3 档位（第 %4 档，共 %5 档）。</translation>
    </message>
    <message>
        <source>%1 %2 is at or above the %3 tier (%4 of %5).</source>
        <translation>%1 %2，已达到或高于 %3 档位（第 %4 档，共 %5 档）。</translation>
    </message>
    <message>
        <source>%1: %2 back past %3</source>
        <translation>%1：%2 已回到 %3 档位之外</translation>
    </message>
    <message>
        <source>%1 %2; no tier in force.</source>
        <translation>%1 %2；当前无警报档位。</translation>
    </message>
    <message>
        <source>%1 %2; tier %3 of %4 still in force.</source>
        <translation>%1 %2；仍处于第 %3 档（共 %4 档）。</translation>
    </message>
    <message>
        <source>%1: cascade regime is %2</source>
        <translation>%1：连环爆仓状态为%2</translation>
    </message>
    <message>
        <source>%1: cascade regime back to %2</source>
        <translation>%1：连环爆仓状态回到%2</translation>
    </message>
    <message>
        <source>%1: cascade regime eased to %2</source>
        <translation>%1：连环爆仓状态缓和为%2</translation>
    </message>
    <message>
        <source>The market regime is now %1.</source>
        <translation>市场状态现为%1。</translation>
    </message>
    <message>
        <source>%1: data fresh again</source>
        <translation>%1：数据已恢复更新</translation>
    </message>
    <message>
        <source>Last update %1 s ago.</source>
        <translation>最近一次更新在 %1 秒前。</translation>
    </message>
    <message>
        <source>No update for %1 s; limit %2 s.</source>
        <translation>已 %1 秒未更新；上限 %2 秒。</translation>
    </message>
    <message>
        <source>(nothing received yet)</source>
        <translation>（尚未收到任何数据）</translation>
    </message>
    <message>
        <source>%1: data is stale</source>
        <translation>%1：数据已过期</translation>
    </message>
    <message>
        <source>%1: reconnected</source>
        <translation>%1：已重新连接</translation>
    </message>
    <message>
        <source>The feed is connected again.</source>
        <translation>数据源已重新连接。</translation>
    </message>
    <message>
        <source>The feed reports it is not connected.</source>
        <translation>数据源报告未连接。</translation>
    </message>
    <message>
        <source>%1: disconnected</source>
        <translation>%1：连接已断开</translation>
    </message>
</context>
<context>
    <name>AlertsDock</name>
    <message>
        <source>Alerts</source>
        <translation>警报</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部级别</translation>
    </message>
    <message>
        <source>Warning and critical</source>
        <translation>警告和严重</translation>
    </message>
    <message>
        <source>Critical only</source>
        <translation>仅严重</translation>
    </message>
    <message>
        <source>Needs acknowledgement</source>
        <translation>需要确认</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>暂停提醒</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message numerus="yes">
        <source>%n alert(s)</source>
        <translation>
            <numerusform>%n 条警报</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n to acknowledge</source>
        <translation>
            <numerusform>%n 条待确认</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AlertsTableModel</name>
    <message>
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Snoozed until %1</source>
        <translation>暂停提醒至 %1</translation>
    </message>
    <message>
        <source>Needs acknowledgement</source>
        <translation>需要确认</translation>
    </message>
    <message>
        <source>Acknowledged %1</source>
        <translation>已确认 %1</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>已解除</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>内容</translation>
    </message>
    <message>
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
        <source>Account saved: %1. Its positions appear after the first read.</source>
        <translation>账户已保存：%1。首次读取后将显示其持仓。</translation>
    </message>
    <message>
        <source>The language changes when LiqGuard is restarted.</source>
        <translation>语言将在 LiqGuard 重启后更改。</translation>
    </message>
    <message>
        <source>Settings could not be saved: {0}</source>
        <translation>设置无法保存：{0}</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>LiqGuard settings</source>
        <translation>LiqGuard 设置</translation>
    </message>
    <message>
        <source>Alert tiers (worst last)</source>
        <translation>警报档位（最严重的在最后）</translation>
    </message>
    <message>
        <source>Distance to liquidation</source>
        <translation>距强平距离</translation>
    </message>
    <message>
        <source>Margin ratio</source>
        <translation>保证金率</translation>
    </message>
    <message>
        <source>Cascade score (0-100)</source>
        <translation>连环爆仓评分（0-100）</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Play a sound for warnings and critical alerts</source>
        <translation>警告和严重警报时播放声音</translation>
    </message>
    <message>
        <source>Also open a dialog for critical alerts</source>
        <translation>严重警报时另外弹出对话框</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Snooze length</source>
        <translation>暂停提醒时长</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>A new language applies after LiqGuard restarts.</source>
        <translation>新的语言将在 LiqGuard 重启后生效。</translation>
    </message>
    <message>
        <source>Distance tiers must get closer to liquidation: each smaller than the one before.</source>
        <translation>距强平距离档位必须逐级接近强平：每一档都要小于前一档。</translation>
    </message>
    <message>
        <source>Margin-ratio tiers must rise: each larger than the one before.</source>
        <translation>保证金率档位必须逐级上升：每一档都要大于前一档。</translation>
    </message>
    <message>
        <source>Cascade-score tiers must rise: each larger than the one before.</source>
        <translation>连环爆仓评分档位必须逐级上升：每一档都要大于前一档。</translation>
    </message>
    <message>
        <source>These tiers are too close together: %1</source>
        <translation>这些档位相距太近：%1</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>设置无法保存：%1</translation>
    </message>
</context>
<context>
    <name>Toast</name>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>暂停提醒</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
</TS>
