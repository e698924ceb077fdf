// Brook's dashboard: polls the HTTP API every two seconds and draws what it finds. Charts are uPlot's, served with the
// page (no network at run time). Each panel keeps working when another endpoint fails.
"use strict";

const POLL_MS = 2000;
const HISTORY = 120;
const topicSamples = new Map(); // topic -> {time, end, bytesOut}
const queryCharts = new Map(); // query name -> {rates, durations}
let tailSource = null;

async function json(path) {
  const response = await fetch(path);
  if (!response.ok) {
    throw new Error(path + ": HTTP " + response.status);
  }
  return response.json();
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === "class") {
      node.className = value;
    } else if (key.startsWith("on")) {
      node.addEventListener(key.substring(2), value);
    } else {
      node.setAttribute(key, value);
    }
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child == null ? "" : String(child)));
  }
  return node;
}

function fillTable(id, rows, empty) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren(...rows);
  if (rows.length === 0) {
    const columns = document.querySelectorAll("#" + id + " thead th").length;
    body.append(el("tr", {}, el("td", {colspan: String(columns), class: "muted"}, empty)));
  }
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? value : value.toFixed(1)) + " " + units[unit];
}

async function refreshTopics() {
  const list = (await json("/topics")).topics;
  const rows = [];
  const now = Date.now();
  for (const topic of list) {
    const detail = await json("/topics/" + encodeURIComponent(topic.name));
    const records = detail.partitions.reduce((sum, p) => sum + (p.logEndOffset - p.logStartOffset), 0);
    const end = detail.partitions.reduce((sum, p) => sum + p.logEndOffset, 0);
    const bytesOut = detail.traffic ? detail.traffic.bytesOut : null;
    const previous = topicSamples.get(topic.name);
    const seconds = previous && now > previous.time ? (now - previous.time) / 1000 : null;
    const rate = seconds ? (end - previous.end) / seconds : null;
    const outRate = seconds && bytesOut != null ? (bytesOut - previous.bytesOut) / seconds : null;
    topicSamples.set(topic.name, {time: now, end: end, bytesOut: bytesOut});
    rows.push(el("tr", {"data-topic": topic.name},
        el("td", {}, topic.name),
        el("td", {class: "num"}, detail.partitions.length),
        el("td", {class: "num"}, records),
        el("td", {class: "num"}, bytes(detail.sizeBytes)),
        el("td", {class: "num"}, rate == null ? "…" : rate.toFixed(1)),
        el("td", {class: "num"}, outRate == null ? "…" : bytes(Math.round(outRate)) + "/s"),
        el("td", {}, el("button", {class: "link", onclick: () => tail(topic.name)}, "tail"))));
  }
  fillTable("topics", rows, "no topics yet");
  if (tailSource == null && list.length > 0) {
    tail(list[0].name);
  }
}

async function refreshGroups() {
  const list = (await json("/groups")).groups;
  const rows = [];
  for (const group of list) {
    const detail = await json("/groups/" + encodeURIComponent(group.groupId));
    const lags = el("td", {});
    for (const offset of detail.offsets) {
      lags.append(el("span", {class: "lag"}, offset.topic + "/" + offset.partition + ": " + (offset.lag ?? "?")));
    }
    rows.push(el("tr", {"data-group": group.groupId},
        el("td", {}, group.groupId),
        el("td", {}, detail.state),
        el("td", {class: "num"}, detail.members.length),
        lags,
        el("td", {class: "num"}, detail.totalLag)));
  }
  fillTable("groups", rows, "no consumer groups");
}

async function refreshPush() {
  const list = (await json("/push/subscriptions")).subscriptions;
  // The list leaves out the lag (it asks the broker); each subscription's own status has it.
  const described = [];
  for (const subscription of list) {
    described.push(await json("/push/subscriptions/" + encodeURIComponent(subscription.name)));
  }
  const rows = described.map(s => el("tr", {"data-subscription": s.name},
      el("td", {}, s.name),
      el("td", {}, s.topic + " → " + s.url),
      el("td", {}, s.state),
      el("td", {class: "num"}, s.lag),
      el("td", {class: "num"}, s.delivered),
      el("td", {class: "num"}, s.retries),
      el("td", {class: "num"}, s.deadLettered),
      el("td", {class: s.lastError ? "error" : "muted"},
          s.lastError ? (s.lastError.status ? s.lastError.status + " " : "") + s.lastError.message : "none")));
  fillTable("push", rows, "no push subscriptions");
}

// A chart of one or more series over time; timeValues: the series are times too (seconds since the epoch).
function chart(title, series, target, timeValues) {
  const options = {
    title: title,
    width: 420,
    height: 180,
    scales: {y: {time: !!timeValues}},
    series: [{}, ...series.map((label, i) => ({label: label, scale: "y", stroke: ["#2563eb", "#16a34a", "#d97706"][i],
      value: timeValues ? (u, v) => (v == null ? "--" : new Date(v * 1000).toISOString().substring(11, 19)) : undefined}))],
    axes: [{}, {scale: "y", size: timeValues ? 90 : 60}],
  };
  const data = [[], ...series.map(() => [])];
  return {plot: new uPlot(options, data, target), data: data};
}

function drawQuery(container, query) {
  let charts = queryCharts.get(query.name);
  if (!charts) {
    const box = el("div", {class: "query", "data-query": query.name});
    const heading = el("h3", {});
    const facts = el("div", {class: "muted"});
    const area = el("div", {class: "charts"});
    box.append(heading, facts, area);
    container.append(box);
    charts = {
      box: box,
      heading: heading,
      facts: facts,
      rates: chart("rows/s", ["input", "processed"], area),
      durations: chart("batch duration (ms)", ["batch"], area),
      watermark: chart("watermark (UTC)", ["watermark"], area, true),
      state: chart("state rows", ["state"], area),
    };
    queryCharts.set(query.name, charts);
  }
  charts.heading.textContent = query.name + (query.active ? "" : " (ended)") + " → " + query.sink;
  const progress = query.recentProgress || [];
  const last = progress[progress.length - 1];
  const watermark = last && last.eventTime ? last.eventTime.watermark : null;
  charts.facts.textContent = query.exception ? "failed: " + query.exception
      : (last ? "batch " + last.batchId + ", " + query.status + (watermark ? ", watermark " + watermark : "") : query.status);
  const recent = progress.slice(-HISTORY);
  const times = recent.map(p => Date.parse(p.timestamp) / 1000);
  const set = (holder, values) => {
    holder.data[0] = times;
    values.forEach((v, i) => { holder.data[i + 1] = v; });
    holder.plot.setData(holder.data);
  };
  set(charts.rates, [recent.map(p => p.inputRowsPerSecond), recent.map(p => p.processedRowsPerSecond)]);
  set(charts.durations, [recent.map(p => p.durationMs.triggerExecution ?? null)]);
  set(charts.watermark, [recent.map(p => watermarkSeconds(p))]);
  set(charts.state, [recent.map(p => p.stateOperators.reduce((sum, s) => sum + s.numRowsTotal, 0))]);
  // What the charts hold, for people and for the dashboard's browser test.
  charts.box.setAttribute("data-points", String(times.length));
  charts.box.setAttribute("data-last-batch", last ? String(last.batchId) : "-1");
}

// A progress report's watermark in seconds since the epoch; null before the first one (Spark reports the epoch then).
function watermarkSeconds(progress) {
  const watermark = progress.eventTime ? progress.eventTime.watermark : null;
  const millis = watermark ? Date.parse(watermark) : NaN;
  return Number.isNaN(millis) || millis <= 0 ? null : millis / 1000;
}

async function refreshQueries() {
  const list = await json("/queries");
  const container = document.getElementById("queries");
  if (list.length === 0 && queryCharts.size === 0) {
    container.replaceChildren(el("p", {class: "muted"}, "no streaming queries (INSERT INTO through brook sql --server)"));
    return;
  }
  if (queryCharts.size === 0) {
    container.replaceChildren();
  }
  for (const query of list) {
    drawQuery(container, await json("/queries/" + encodeURIComponent(query.name)));
  }
}

function tail(topic) {
  if (tailSource) {
    tailSource.close();
  }
  const out = document.getElementById("tail");
  out.textContent = "";
  document.getElementById("tail-topic").textContent = topic;
  tailSource = new EventSource("/topics/" + encodeURIComponent(topic) + "/events?from=latest");
  tailSource.addEventListener("record", event => {
    const record = JSON.parse(event.data);
    const line = "p" + record.partition + "@" + record.offset + "  " + (record.key ?? "") + "  " + (record.value ?? "");
    const lines = (out.textContent ? out.textContent.split("\n") : []);
    lines.push(line);
    out.textContent = lines.slice(-200).join("\n");
    out.scrollTop = out.scrollHeight;
  });
}

async function refresh() {
  const results = await Promise.allSettled([refreshTopics(), refreshGroups(), refreshPush(), refreshQueries()]);
  const failed = results.filter(r => r.status === "rejected").map(r => r.reason.message);
  const status = document.getElementById("status");
  status.textContent = failed.length ? "some panels failed: " + failed.join("; ")
      : "updated " + new Date().toLocaleTimeString();
  status.className = failed.length ? "error" : "muted";
}

refresh();
setInterval(refresh, POLL_MS);
