<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountCard</name>
    <message>
        <source>Multi-Assets mode (pooled)</source>
        <translation>联合保证金模式（合并计算）</translation>
    </message>
    <message>
        <source>UTA cross margin (pooled)</source>
        <translation>统一账户全仓（合并计算）</translation>
    </message>
    <message>
        <source>hedge mode, larger side</source>
        <translation>双向持仓，按较大一侧</translation>
    </message>
    <message>
        <source>multi-currency margin (pooled)</source>
        <translation>多币种保证金（合并计算）</translation>
    </message>
    <message>
        <source>portfolio margin</source>
        <translation>组合保证金</translation>
    </message>
    <message>
        <source>{0}: venue figures shown</source>
        <translation>{0}：显示交易所数据</translation>
    </message>
    <message>
        <source>Margin ratio</source>
        <translation>保证金率</translation>
    </message>
    <message>
        <source>Break move</source>
        <translation>账户强平临界波动</translation>
    </message>
    <message>
        <source>Equity</source>
        <translation>权益</translation>
    </message>
    <message>
        <source>Funding paid (negative) or received over the last 24 h, as the venue booked it</source>
        <translation>过去 24 小时交易所记账的资金费：负数为支付，正数为收取</translation>
    </message>
    <message>
        <source>Funding paid 24 h</source>
        <translation>24 小时已付资金费</translation>
    </message>
    <message>
        <source>Estimated funding of all positions over the next 24 h at the latest rates</source>
        <translation>按最新资金费率估算的所有持仓未来 24 小时资金费</translation>
    </message>
    <message>
        <source>Funding 24 h</source>
        <translation>24 小时资金费</translation>
    </message>
    <message>
        <source>isolated only</source>
        <translation>仅逐仓</translation>
    </message>
    <message>
        <source>stale: {0}</source>
        <translation>数据过期：{0}</translation>
    </message>
    <message>
        <source>updated {0} ago · every {1} s</source>
        <translation>{0}前更新 · 每 {1} 秒</translation>
    </message>
</context>
<context>
    <name>AccountWizard</name>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>API secret</source>
        <translation>API 私钥</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>API 口令</translation>
    </message>
    <message>
        <source>Wallet address</source>
        <translation>钱包地址</translation>
    </message>
    <message>
        <source>Edit account</source>
        <translation>编辑账户</translation>
    </message>
    <message>
        <source>Add exchange account</source>
        <translation>添加交易所账户</translation>
    </message>
    <message>
        <source>e.g. Main account</source>
        <translation>例如：主账户</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>交易所</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Use the secrets for this session only (nothing is written)</source>
        <translation>仅在本次会话中使用密钥（不写入任何地方）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Key permissions</source>
        <translation>密钥权限</translation>
    </message>
    <message>
        <source>Not checked yet.</source>
        <translation>尚未检查。</translation>
    </message>
    <message>
        <source>Symbol</source>
        <translation>交易对</translation>
    </message>
    <message>
        <source>Side</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Contracts</source>
        <translation>合约张数</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>开仓价</translation>
    </message>
    <message>
        <source>Mark</source>
        <translation>标记价格</translation>
    </message>
    <message>
        <source>Venue liq. price</source>
        <translation>交易所强平价</translation>
    </message>
    <message>
        <source>Positions found</source>
        <translation>找到的持仓</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>删除账户</translation>
    </message>
    <message>
        <source>unchanged (kept in the keychain)</source>
        <translation>未更改（保存在系统钥匙串中）</translation>
    </message>
    <message>
        <source>Please enter: {0}.</source>
        <translation>请填写：{0}。</translation>
    </message>
    <message>
        <source>The wallet address must be 0x followed by 40 hexadecimal characters (the main account&apos;s).</source>
        <translation>钱包地址必须是 0x 加 40 个十六进制字符（主账户的地址）。</translation>
    </message>
    <message>
        <source>Connecting to {0}…</source>
        <translation>正在连接 {0}…</translation>
    </message>
    <message>
        <source>Connection failed: {0}</source>
        <translation>连接失败：{0}</translation>
    </message>
    <message>
        <source>Connected: 1 open position found.</source>
        <translation>已连接：找到 1 个持仓。</translation>
    </message>
    <message>
        <source>Connected: {0} open positions found.</source>
        <translation>已连接：找到 {0} 个持仓。</translation>
    </message>
    <message>
        <source>Not checked.</source>
        <translation>未检查。</translation>
    </message>
    <message>
        <source>Key expires in {0} days.</source>
        <translation>密钥将在 {0} 天后过期。</translation>
    </message>
    <message>
        <source>This key will not be saved.</source>
        <translation>此密钥不会被保存。</translation>
    </message>
    <message>
        <source>{0}. Tick “session only” to use the key without storing it.</source>
        <translation>{0}。勾选“仅本次会话”即可在不保存的情况下使用该密钥。</translation>
    </message>
    <message>
        <source>The account could not be saved: {0}</source>
        <translation>账户无法保存：{0}</translation>
    </message>
    <message>
        <source>Click again to remove (deletes the stored key)</source>
        <translation>再次点击以删除（同时删除已保存的密钥）</translation>
    </message>
    <message>
        <source>The account could not be removed: {0}</source>
        <translation>账户无法删除：{0}</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Exchange accounts</source>
        <translation>交易所账户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>交易所</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新间隔</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit / remove…</source>
        <translation>编辑 / 删除…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>AccountsPanel</name>
    <message>
        <source>No accounts yet.
Accounts ▸ Add account…</source>
        <translation>还没有账户。
账户 ▸ 添加账户…</translation>
    </message>
</context>
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
    <message>
        <source>not reported</source>
        <translation>未报告</translation>
    </message>
    <message>
        <source>%1 %2 %3 auto-deleveraged at %4; realised %5.</source>
        <translation>%1 %2 %3 已于 %4 被自动减仓；已实现盈亏 %5。</translation>
    </message>
    <message>
        <source>%1 %2 %3 liquidated at %4; realised %5.</source>
        <translation>%1 %2 %3 已于 %4 被强平；已实现盈亏 %5。</translation>
    </message>
    <message>
        <source>Position closed or reduced, cause unknown: %1 %2 gone; last mark %3, unrealised %4 before.</source>
        <translation>持仓已平仓或减少，原因未知：减少 %1 %2；此前标记价格 %3，未实现盈亏 %4。</translation>
    </message>
    <message>
        <source>%1: auto-deleveraged</source>
        <translation>%1：已被自动减仓</translation>
    </message>
    <message>
        <source>%1: liquidated</source>
        <translation>%1：已爆仓</translation>
    </message>
    <message>
        <source>%1: position closed or reduced, cause unknown</source>
        <translation>%1：持仓已平仓或减少，原因未知</translation>
    </message>
    <message>
        <source>distance</source>
        <translation>强平距离</translation>
    </message>
    <message>
        <source>margin ratio</source>
        <translation>保证金率</translation>
    </message>
    <message>
        <source>break move</source>
        <translation>账户强平临界波动</translation>
    </message>
    <message>
        <source>cascade score</source>
        <translation>连环爆仓评分</translation>
    </message>
    <message>
        <source>regime</source>
        <translation>市场状态</translation>
    </message>
    <message>
        <source>data age</source>
        <translation>数据延迟</translation>
    </message>
    <message>
        <source>loosest safe</source>
        <translation>最宽安全位</translation>
    </message>
    <message>
        <source>risk budget</source>
        <translation>风险预算</translation>
    </message>
    <message>
        <source>outside noise</source>
        <translation>噪声之外</translation>
    </message>
    <message>
        <source>suggested</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>stop at %1 (%2)</source>
        <translation>止损设在 %1（%2）</translation>
    </message>
    <message>
        <source>add %1 margin or cut to %2 to get back to %3 distance</source>
        <translation>追加 %1 保证金或减仓至 %2，使强平距离恢复到 %3</translation>
    </message>
    <message>
        <source>add %1 margin to get back to %2 distance</source>
        <translation>追加 %1 保证金，使强平距离恢复到 %2</translation>
    </message>
    <message>
        <source>cut to %1 to get back to %2 distance</source>
        <translation>减仓至 %1，使强平距离恢复到 %2</translation>
    </message>
    <message>
        <source>reduce or close: no margin amount reaches %1</source>
        <translation>请减仓或平仓：追加保证金无法达到 %1</translation>
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
        <source>data %1</source>
        <translation>数据 %1</translation>
    </message>
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
    <name>AlwaysOnBox</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Apprise URL</source>
        <translation>Apprise 地址</translation>
    </message>
    <message>
        <source>Min level</source>
        <translation>最低级别</translation>
    </message>
    <message>
        <source>Quiet from</source>
        <translation>免打扰开始</translation>
    </message>
    <message>
        <source>Quiet to</source>
        <translation>免打扰结束</translation>
    </message>
    <message>
        <source>Max/hour</source>
        <translation>每小时上限</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>(in keychain: type to replace)</source>
        <translation>（已存于钥匙串：输入以替换）</translation>
    </message>
    <message>
        <source>Always on: push channels and keep running</source>
        <translation>常驻监控：推送渠道与后台运行</translation>
    </message>
    <message>
        <source>Add channel</source>
        <translation>添加渠道</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Send test</source>
        <translation>发送测试</translation>
    </message>
    <message>
        <source>Channels are apprise URLs: tgram://bottoken/chatid, ntfy://topic, discord://id/token, pover://user@token, mailto://..., json://host/path. URLs are kept in the system keychain.</source>
        <translation>渠道为 apprise 地址：tgram://bottoken/chatid、ntfy://topic、discord://id/token、pover://user@token、mailto://...、json://host/path。地址保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Push a critical alert not acknowledged within</source>
        <translation>严重警报在此时间内未确认则推送</translation>
    </message>
    <message>
        <source>Ping a heartbeat URL every minute (dead-man switch)</source>
        <translation>每分钟访问心跳地址（失联报警）</translation>
    </message>
    <message>
        <source>Push &quot;LiqGuard stopped monitoring&quot; when it exits</source>
        <translation>退出时推送“LiqGuard 已停止监控”</translation>
    </message>
    <message>
        <source>Start LiqGuard at login</source>
        <translation>登录时启动 LiqGuard</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed</source>
        <translation>关闭窗口后在系统托盘中继续运行</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <source>enter the URL first</source>
        <translation>请先输入地址</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>发送中…</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>FAILED: %1</source>
        <translation>失败：%1</translation>
    </message>
</context>
<context>
    <name>CascadeDashboard</name>
    <message>
        <source>Symbol whose market is shown</source>
        <translation>显示其行情的交易对</translation>
    </message>
    <message>
        <source>no cascade score yet</source>
        <translation>尚无连环爆仓评分</translation>
    </message>
    <message>
        <source>One cascade state per underlying: open interest and liquidations summed across venues and quotes, funding weighted by open interest, depth summed</source>
        <translation>每个标的一个连环爆仓状态：持仓量和爆仓额按交易所和计价币种求和，资金费率按持仓量加权，深度求和</translation>
    </message>
    <message>
        <source>Market</source>
        <translation>行情</translation>
    </message>
    <message>
        <source>Mark</source>
        <translation>标记价格</translation>
    </message>
    <message>
        <source>Funding (per 8 h)</source>
        <translation>资金费率（每 8 小时）</translation>
    </message>
    <message>
        <source>Open interest (coins)</source>
        <translation>持仓量（币）</translation>
    </message>
    <message>
        <source>Liquidations per minute: longs ▲ red, shorts ▼ green</source>
        <translation>每分钟爆仓额：多头 ▲ 红，空头 ▼ 绿</translation>
    </message>
    <message>
        <source>Depth ±1 % ($ M): bids green, asks red</source>
        <translation>±1 % 深度（百万美元）：买盘绿，卖盘红</translation>
    </message>
    <message>
        <source>Basis (mark vs index)</source>
        <translation>基差（标记价格对指数价格）</translation>
    </message>
    <message>
        <source>Cascade score</source>
        <translation>连环爆仓评分</translation>
    </message>
    <message>
        <source>cascade score: not available</source>
        <translation>连环爆仓评分：不可用</translation>
    </message>
    <message>
        <source>Funding {0} per 8 h · basis {1} · liquidated in the last minute {2}</source>
        <translation>资金费率 {0}（每 8 小时）· 基差 {1} · 最近一分钟爆仓 {2}</translation>
    </message>
    <message>
        <source>without: {0}</source>
        <translation>缺少数据：{0}</translation>
    </message>
    <message>
        <source>market</source>
        <translation>市场</translation>
    </message>
    <message>
        <source>%1 market-wide, 1 venue</source>
        <translation>%1 全市场，1 个交易所</translation>
    </message>
    <message>
        <source>%1 market-wide, %2 venues</source>
        <translation>%1 全市场，%2 个交易所</translation>
    </message>
    <message>
        <source>mark</source>
        <translation>标记价格</translation>
    </message>
    <message>
        <source>funding/8h</source>
        <translation>资金费率/8 小时</translation>
    </message>
    <message>
        <source>OI</source>
        <translation>持仓量</translation>
    </message>
    <message>
        <source>liq.</source>
        <translation>爆仓额</translation>
    </message>
    <message>
        <source>depth ±1 %</source>
        <translation>深度 ±1 %</translation>
    </message>
    <message>
        <source>venue</source>
        <translation>交易所</translation>
    </message>
</context>
<context>
    <name>ColumnMenu</name>
    <message>
        <source>Default columns</source>
        <translation>默认列</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>long</source>
        <translation>多</translation>
    </message>
    <message>
        <source>short</source>
        <translation>空</translation>
    </message>
    <message>
        <source>cross</source>
        <translation>全仓</translation>
    </message>
    <message>
        <source>isolated</source>
        <translation>逐仓</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Account (venue and margin mode)</source>
        <translation>账户（交易所与保证金模式）</translation>
    </message>
    <message>
        <source>Symbol</source>
        <translation>交易对</translation>
    </message>
    <message>
        <source>ccxt unified symbol</source>
        <translation>ccxt 统一交易对代码</translation>
    </message>
    <message>
        <source>Side</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>long or short, and margin mode</source>
        <translation>多或空，以及保证金模式</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Position size in base units</source>
        <translation>持仓数量（基础币）</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>开仓价</translation>
    </message>
    <message>
        <source>Average entry price</source>
        <translation>开仓均价</translation>
    </message>
    <message>
        <source>Mark</source>
        <translation>标记价格</translation>
    </message>
    <message>
        <source>Mark price (liquidation is triggered on mark)</source>
        <translation>标记价格（强平按标记价格触发）</translation>
    </message>
    <message>
        <source>Liq. price</source>
        <translation>强平价</translation>
    </message>
    <message>
        <source>Liquidation price computed by LiqGuard</source>
        <translation>LiqGuard 计算的强平价</translation>
    </message>
    <message>
        <source>Venue liq.</source>
        <translation>交易所强平价</translation>
    </message>
    <message>
        <source>Liquidation price the venue reports, when it reports one</source>
        <translation>交易所报告的强平价（如有）</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>强平距离</translation>
    </message>
    <message>
        <source>Move of the mark to liquidation, % of mark</source>
        <translation>标记价格到强平价的变动幅度，占标记价格的 %</translation>
    </message>
    <message>
        <source>σ (24 h)</source>
        <translation>σ（24 小时）</translation>
    </message>
    <message>
        <source>Distance to liquidation in units of 24 h volatility</source>
        <translation>以 24 小时波动率为单位的强平距离</translation>
    </message>
    <message>
        <source>P(touch 24 h)</source>
        <translation>24 小时触及概率</translation>
    </message>
    <message>
        <source>Probability the mark touches the liquidation price within 24 h</source>
        <translation>标记价格在 24 小时内触及强平价的概率</translation>
    </message>
    <message>
        <source>Margin ratio</source>
        <translation>保证金率</translation>
    </message>
    <message>
        <source>Maintenance / margin balance; 100 % liquidates</source>
        <translation>维持保证金 / 保证金余额；达到 100 % 即强平</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>止损</translation>
    </message>
    <message>
        <source>Suggested stop-loss (hover for the reasons)</source>
        <translation>建议止损价（悬停查看理由）</translation>
    </message>
    <message>
        <source>Unrealised PnL</source>
        <translation>未实现盈亏</translation>
    </message>
    <message>
        <source>Settle currency, positive in profit</source>
        <translation>结算币种，正数为盈利</translation>
    </message>
    <message>
        <source>Liq. gap</source>
        <translation>强平价偏差</translation>
    </message>
    <message>
        <source>Our liquidation price vs the venue&apos;s, as a share of the distance to the venue&apos;s; over 0.5 % is flagged with the likely cause</source>
        <translation>本程序计算的强平价与交易所强平价之差，占到交易所强平价距离的比例；超过 0.5 % 时标出可能原因</translation>
    </message>
    <message>
        <source>Leverage</source>
        <translation>杠杆</translation>
    </message>
    <message>
        <source>The position&apos;s leverage setting</source>
        <translation>该持仓的杠杆设置</translation>
    </message>
    <message>
        <source>Notional</source>
        <translation>名义价值</translation>
    </message>
    <message>
        <source>Position value at the mark, settle currency</source>
        <translation>按标记价格计算的持仓价值，结算币种</translation>
    </message>
    <message>
        <source>IM</source>
        <translation>初始保证金</translation>
    </message>
    <message>
        <source>Initial margin: isolated margin, or notional / leverage in cross</source>
        <translation>初始保证金：逐仓为逐仓保证金，全仓为名义价值 / 杠杆</translation>
    </message>
    <message>
        <source>MM</source>
        <translation>维持保证金</translation>
    </message>
    <message>
        <source>Maintenance margin at the mark (with the venue&apos;s close-fee estimate where it has one)</source>
        <translation>按标记价格计算的维持保证金（交易所有平仓手续费估算时含该估算）</translation>
    </message>
    <message>
        <source>ROE</source>
        <translation>收益率</translation>
    </message>
    <message>
        <source>Unrealised PnL / initial margin</source>
        <translation>未实现盈亏 / 初始保证金</translation>
    </message>
    <message>
        <source>ADL</source>
        <translation>自动减仓</translation>
    </message>
    <message>
        <source>Auto-deleveraging rank on the venue&apos;s scale (Binance 0-4, Bybit 0-5, OKX 1-5; higher = nearer the front of the queue)</source>
        <translation>交易所标度的自动减仓排名（Binance 0-4，Bybit 0-5，OKX 1-5；越高越靠近队列前端）</translation>
    </message>
    <message>
        <source>Next funding</source>
        <translation>下次资金费</translation>
    </message>
    <message>
        <source>Countdown to the next funding exchange and its estimated payment (+ received, - paid)</source>
        <translation>距下次资金费结算的倒计时及预计金额（+ 收取，- 支付）</translation>
    </message>
    <message>
        <source>Funding / 8 h</source>
        <translation>资金费 / 8 小时</translation>
    </message>
    <message>
        <source>Estimated funding over the next 8 h at the latest rate (+ received, - paid)</source>
        <translation>按最新资金费率估算的未来 8 小时资金费（+ 收取，- 支付）</translation>
    </message>
</context>
<context>
    <name>DataLabels</name>
    <message>
        <source>Demo market</source>
        <translation>演示行情</translation>
    </message>
    <message>
        <source>demo</source>
        <translation>演示</translation>
    </message>
</context>
<context>
    <name>DemoToolbar</name>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>DEMO</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>重新开始</translation>
    </message>
    <message>
        <source>Start the scenario again with fresh demo accounts</source>
        <translation>用新的演示账户重新开始场景</translation>
    </message>
    <message>
        <source>Scenario time runs {0} times faster than real time</source>
        <translation>场景时间以实际时间的 {0} 倍速度运行</translation>
    </message>
    <message>
        <source>finished, press Restart</source>
        <translation>已结束，请按“重新开始”</translation>
    </message>
    <message>
        <source>scenario clock {0}</source>
        <translation>场景时钟 {0}</translation>
    </message>
</context>
<context>
    <name>FeedStatusBar</name>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>过期</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>重新连接中</translation>
    </message>
    <message>
        <source>expected every {0} s</source>
        <translation>预期每 {0} 秒更新</translation>
    </message>
    <message>
        <source>stream connected</source>
        <translation>数据流已连接</translation>
    </message>
    <message>
        <source>stream reconnecting</source>
        <translation>数据流重新连接中</translation>
    </message>
    <message>
        <source>last message {0} ago (expected every {1} s)</source>
        <translation>上一条消息在 {0} 前（预期每 {1} 秒一条）</translation>
    </message>
    <message>
        <source>reconnects: {0}</source>
        <translation>重连次数：{0}</translation>
    </message>
    <message>
        <source>last error: {0}</source>
        <translation>上一个错误：{0}</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>demo venue</source>
        <translation>演示交易所</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Cascade</source>
        <translation>连环爆仓</translation>
    </message>
    <message>
        <source>Stress</source>
        <translation>压力测试</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>尚无数据</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Accounts</source>
        <translation>账户(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Add account…</source>
        <translation>添加账户(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Manage accounts…</source>
        <translation>管理账户(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>偏好设置(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About LiqGuard</source>
        <translation>关于 LiqGuard(&amp;A)</translation>
    </message>
    <message>
        <source>About LiqGuard</source>
        <translation>关于 LiqGuard</translation>
    </message>
    <message>
        <source>A read-only liquidation-risk console for leveraged crypto derivatives.
It never places an order.</source>
        <translation>面向加密货币杠杆衍生品的只读强平风险控制台。
它从不下单。</translation>
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
    <message>
        <source>Alerts</source>
        <translation>警报</translation>
    </message>
    <message>
        <source>{0} positions in {1} accounts · unrealised {2}</source>
        <translation>{1} 个账户中的 {0} 个持仓 · 未实现盈亏 {2}</translation>
    </message>
    <message>
        <source>{0} feed(s) stale</source>
        <translation>{0} 个数据源过期</translation>
    </message>
</context>
<context>
    <name>PositionDetail</name>
    <message>
        <source>Select a position</source>
        <translation>请选择一个持仓</translation>
    </message>
    <message>
        <source>Est. liquidations</source>
        <translation>预估爆仓分布</translation>
    </message>
    <message>
        <source>entry</source>
        <translation>开仓</translation>
    </message>
    <message>
        <source>liquidation</source>
        <translation>强平</translation>
    </message>
    <message>
        <source>venue liq.</source>
        <translation>交易所强平</translation>
    </message>
    <message>
        <source>stop</source>
        <translation>止损</translation>
    </message>
    <message>
        <source>no map yet</source>
        <translation>暂无分布图</translation>
    </message>
    <message>
        <source>mark {0} · liquidation {1} · &lt;span style=&apos;color:{2}&apos;&gt;{3} away&lt;/span&gt;</source>
        <translation>标记价格 {0} · 强平价 {1} · &lt;span style=&apos;color:{2}&apos;&gt;距离 {3}&lt;/span&gt;</translation>
    </message>
    <message>
        <source>No liquidation price: the margin covers any price move.</source>
        <translation>无强平价：保证金足以覆盖任何价格变动。</translation>
    </message>
    <message>
        <source>Venue reports {0} ({1} apart).</source>
        <translation>交易所报告 {0}（相差 {1}）。</translation>
    </message>
    <message>
        <source>Venue reports {0} ({1} apart, {2} of the distance).</source>
        <translation>交易所报告 {0}（相差 {1}，占距离的 {2}）。</translation>
    </message>
    <message>
        <source>The venue reports no liquidation price for this position.</source>
        <translation>交易所未报告该持仓的强平价。</translation>
    </message>
    <message>
        <source>notional {0}</source>
        <translation>名义价值 {0}</translation>
    </message>
    <message>
        <source>IM {0}</source>
        <translation>初始保证金 {0}</translation>
    </message>
    <message>
        <source>MM {0}</source>
        <translation>维持保证金 {0}</translation>
    </message>
    <message>
        <source>ROE {0}</source>
        <translation>收益率 {0}</translation>
    </message>
    <message>
        <source>ADL rank {0}</source>
        <translation>自动减仓排名 {0}</translation>
    </message>
    <message>
        <source>funding {0} / 8 h (est.)</source>
        <translation>资金费 {0} / 8 小时（估）</translation>
    </message>
    <message>
        <source>Suggested stop: not available yet.</source>
        <translation>建议止损：暂不可用。</translation>
    </message>
    <message>
        <source>No safe stop.</source>
        <translation>没有安全的止损价。</translation>
    </message>
    <message>
        <source>Suggested stop {0}</source>
        <translation>建议止损价 {0}</translation>
    </message>
    <message>
        <source>bound by {0}</source>
        <translation>约束规则：{0}</translation>
    </message>
</context>
<context>
    <name>ProblemBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>PushBridge</name>
    <message>
        <source>Push channel &apos;%1&apos; works again.</source>
        <translation>推送渠道“%1”已恢复。</translation>
    </message>
    <message>
        <source>Push channel &apos;%1&apos; failed: %2</source>
        <translation>推送渠道“%1”失败：%2</translation>
    </message>
</context>
<context>
    <name>Regime</name>
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
        <source>Push channel URLs could not be kept: %1</source>
        <translation>推送渠道地址无法保存：%1</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>设置无法保存：%1</translation>
    </message>
</context>
<context>
    <name>Severity</name>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>watch</source>
        <translation>关注</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>严重</translation>
    </message>
</context>
<context>
    <name>StopRule</name>
    <message>
        <source>liquidation_buffer</source>
        <translation>强平缓冲</translation>
    </message>
    <message>
        <source>risk_budget</source>
        <translation>风险预算</translation>
    </message>
    <message>
        <source>noise_floor</source>
        <translation>噪声下限</translation>
    </message>
</context>
<context>
    <name>StressPanel</name>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Equity vs shock</source>
        <translation>权益随价格冲击的变化</translation>
    </message>
    <message>
        <source>Margin ratio vs shock (%)</source>
        <translation>保证金率随价格冲击的变化（%）</translation>
    </message>
    <message>
        <source>Equity</source>
        <translation>权益</translation>
    </message>
    <message>
        <source>Margin ratio</source>
        <translation>保证金率</translation>
    </message>
    <message>
        <source>shock of every mark (%)</source>
        <translation>所有标记价格的冲击幅度（%）</translation>
    </message>
    <message>
        <source>break</source>
        <translation>爆仓点</translation>
    </message>
    <message>
        <source>stress: not available</source>
        <translation>压力测试：不可用</translation>
    </message>
    <message>
        <source>break move {0} · equity now {1}</source>
        <translation>账户强平临界波动 {0} · 当前权益 {1}</translation>
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
    <message>
        <source>Eased since: %1</source>
        <translation>此后已缓解：%1</translation>
    </message>
</context>
<context>
    <name>ToastArea</name>
    <message numerus="yes">
        <source>%n more — open alerts</source>
        <translation>
            <numerusform>另有 %n 条 — 打开警报</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more (%1 critical) — open alerts</source>
        <translation>
            <numerusform>另有 %n 条（%1 条严重）— 打开警报</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayChannel</name>
    <message>
        <source>LiqGuard — info</source>
        <translation>LiqGuard — 信息</translation>
    </message>
    <message>
        <source>LiqGuard — warning</source>
        <translation>LiqGuard — 警告</translation>
    </message>
    <message>
        <source>LiqGuard — critical</source>
        <translation>LiqGuard — 严重</translation>
    </message>
</context>
<context>
    <name>WindowKeeper</name>
    <message>
        <source>Show LiqGuard</source>
        <translation>显示 LiqGuard</translation>
    </message>
    <message>
        <source>Quit (stop monitoring)</source>
        <translation>退出（停止监控）</translation>
    </message>
    <message>
        <source>LiqGuard keeps monitoring here. Quit from this icon&apos;s menu.</source>
        <translation>LiqGuard 在此继续监控。请从此图标的菜单退出。</translation>
    </message>
</context>
</TS>
