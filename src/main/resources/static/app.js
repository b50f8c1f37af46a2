// Stillwater's web page: plain DOM, no framework, no build step. Every call goes to the service's own API
// with the caller's credentials: the intake API key (X-Api-Key, kept in this tab's sessionStorage) and,
// for the dead letters, the operator account (HTTP Basic, kept in memory only). Requests never carry
// cookies (credentials: "omit"), so the browser neither sends stored credentials nor prompts for any.

const TERMINAL = new Set(["succeeded", "failed", "dead_lettered", "cancelled"]);
const POLL_MS = 1000;
const KEY_STORAGE = "stillwater.apiKey";
const MAX_JOBS_SHOWN = 40;

const state = {
  apiKey: sessionStorage.getItem(KEY_STORAGE) || "",
  operator: null, // base64 of "user:password", never stored
  operatorName: "",
  presets: null,
  jobs: new Map(), // id -> job as the API last gave it
  pollTimer: null,
  batch: null,
  batchTimer: null,
  deadLetterCursor: null,
};

const $ = (id) => document.getElementById(id);

/** Makes an element: el("a", {href, class}, "text", child…). Text is always text, never parsed as HTML. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---------------------------------------------------------------------------------------------------------
// The API and its errors

const REASONS = {
  400: "Bad request", 401: "Not authorised", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
  409: "Conflict", 413: "Too large", 415: "Unsupported image", 422: "Unprocessable", 429: "Too many requests",
  500: "Server error", 502: "Bad gateway", 503: "Unavailable", 504: "Gateway timeout",
};

class ApiError extends Error {
  constructor(status, problem, message) {
    super(message);
    this.status = status;
    this.problem = problem || {};
  }

  get field() {
    return this.problem.field || null;
  }
}

/** The words for an error answer: its title, detail, field, limit and, for a CSV, each bad row. */
function describe(status, problem, auth) {
  const title = problem.title || REASONS[status] || `HTTP ${status}`;
  let text = `${title} (${status})`;
  if (problem.detail) text += `: ${problem.detail}`;
  if (problem.field && !(problem.detail || "").startsWith(problem.field + ":")) text += ` (field: ${problem.field})`;
  if (problem.limit !== undefined && problem.limit !== null && !(problem.detail || "").includes(String(problem.limit))) {
    text += ` (limit: ${problem.limit})`;
  }
  if (Array.isArray(problem.rows) && problem.rows.length > 1) {
    text += ". " + problem.rows.slice(0, 10).map((r) => `Row ${r.row}: ${r.message}`).join("; ");
    if (problem.rows.length > 10) text += `; and ${problem.rows.length - 10} more rows`;
  }
  if (!/[.!?]$/.test(text)) text += ".";
  if (status === 401) {
    text += auth === "operator" ? " Check the operator user name and password." : " Check the API key.";
  }
  if (status === 429 || status === 503) text += " Try again in a few seconds.";
  return text;
}

function authHeader(auth, headers) {
  if (auth === "intake" || (auth === "read" && state.apiKey)) {
    if (!state.apiKey) throw new ApiError(0, null, "Enter the intake API key first (top of the page).");
    headers.set("X-Api-Key", state.apiKey);
  } else if (auth === "operator" || auth === "read") {
    if (!state.operator) {
      throw new ApiError(0, null, auth === "operator" ? "Enter the operator user name and password first."
        : "Enter the intake API key first (top of the page).");
    }
    headers.set("Authorization", "Basic " + state.operator);
  }
}

/**
 * Calls the API. auth: "intake" (the API key), "operator" (Basic), "read" (the key, else the operator
 * account). Resolves to the Response when it is 2xx; otherwise rejects with an ApiError in words.
 */
async function api(path, { method = "GET", body, json, auth = "intake", accept = "application/json" } = {}) {
  const headers = new Headers({ Accept: `${accept}, application/problem+json` });
  authHeader(auth, headers);
  if (json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, { method, body, headers, credentials: "omit", cache: "no-store" });
  } catch (e) {
    throw new ApiError(0, null, `The service could not be reached: ${e.message}.`);
  }
  if (response.ok) return response;
  let problem = {};
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) {
    try {
      problem = await response.json();
    } catch {
      problem = {};
    }
  } else {
    const text = (await response.text().catch(() => "")).trim();
    if (text && text.length < 300) problem = { detail: text };
  }
  throw new ApiError(response.status, problem, describe(response.status, problem, auth));
}

async function apiJson(path, options) {
  const response = await api(path, options);
  return response.status === 204 ? null : response.json();
}

/** Shows a message in one of the page's live regions: kind "error", "ok" or "" (information). */
function say(region, text, kind = "") {
  const node = typeof region === "string" ? $(region) : region;
  node.textContent = text;
  node.className = "message" + (kind ? " " + kind : "");
}

function sayError(region, error) {
  say(region, error instanceof ApiError ? error.message : `Something went wrong in the page: ${error.message}`,
    "error");
}

// ---------------------------------------------------------------------------------------------------------
// Formatting

const shortId = (id) => (id || "").slice(0, 8);

function bytes(n) {
  if (n === undefined || n === null) return "";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function when(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return el("time", { datetime: iso, title: iso }, isNaN(date) ? iso : date.toLocaleString());
}

const statusWords = (status) => (status || "unknown").replace("_", "-");

function badge(status) {
  return el("span", { class: `status ${status || "unknown"}` }, statusWords(status));
}

// ---------------------------------------------------------------------------------------------------------
// The API key and the presets

function useKey(key) {
  state.apiKey = key;
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

async function onKeyEntered() {
  say("key-message", "Checking the key…");
  try {
    await loadPresets();
    say("key-message", "Key accepted.", "ok");
  } catch (e) {
    sayError("key-message", e);
    return;
  }
  loadJobs();
  loadCameras();
}

async function loadPresets() {
  const presets = await apiJson("/api/v1/presets");
  state.presets = presets;
  for (const id of ["job-preset", "capture-preset", "batch-preset"]) {
    const select = $(id);
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "" }, `Service default (${presets.defaultPreset})`),
      ...presets.items.map((p) => el("option", { value: p.name }, p.name)));
    select.value = presets.items.some((p) => p.name === chosen) ? chosen : "";
  }
  describePreset();
}

function outputWords(output) {
  const ops = (output.ops || []).map((op) => {
    if (op.op === "resize") {
      return `resize ${op.width || "auto"}×${op.height || "auto"}${op.fit ? " " + op.fit : ""}`;
    }
    return op.op;
  });
  const quality = output.quality && output.format !== "png" ? ` q${output.quality}` : "";
  return `${output.name}: ${ops.length ? ops.join(", ") + ", " : ""}${output.format || "jpeg"}${quality}`;
}

function describePreset() {
  const help = $("job-preset-help");
  if (!state.presets) {
    help.textContent = "";
    return;
  }
  const name = $("job-preset").value || state.presets.defaultPreset;
  const preset = state.presets.items.find((p) => p.name === name);
  help.textContent = preset ? preset.outputs.map(outputWords).join("; ") : "";
}

// ---------------------------------------------------------------------------------------------------------
// Jobs: the list, live updates, thumbnails and renditions

/** The smallest rendition by pixels: the thumbnail. */
function smallest(outputs) {
  return (outputs || []).filter((o) => o.url)
    .reduce((best, o) => (!best || o.width * o.height < best.width * best.height ? o : best), null);
}

function progressOf(status) {
  if (status === "queued") return 1;
  if (status === "processing") return 2;
  return 3;
}

function extension(format) {
  return { jpeg: "jpg", png: "png", webp: "webp" }[format] || format || "img";
}

function jobCard(job, previous) {
  const thumb = smallest(job.outputs);
  const card = el("li", { class: "job", dataset: { jobId: job.id, status: job.status } });

  // Keep the image already shown for the same rendition: its presigned URL changes on every read.
  const oldImg = previous && previous.querySelector("img.thumbnail");
  let picture;
  if (thumb && oldImg && oldImg.dataset.key === thumb.key) {
    picture = oldImg;
  } else if (thumb) {
    picture = el("img", {
      class: "thumbnail", src: thumb.url, alt: `Rendition “${thumb.name}” of job ${shortId(job.id)}, ${thumb.width}×${thumb.height}`,
      width: thumb.width, height: thumb.height, dataset: { key: thumb.key || thumb.url }, decoding: "async",
    });
  } else {
    picture = el("span", {}, TERMINAL.has(job.status) ? "no rendition" : statusWords(job.status) + "…");
  }

  const source = job.source || {};
  const sourceWords = [source.kind, source.filename || source.url,
    source.width && source.height ? `${source.width}×${source.height}` : null,
    source.bytes ? bytes(source.bytes) : null].filter(Boolean).join(" · ");

  const renditions = (job.outputs || []).map((o) => el("li", {},
    el("span", {}, `${o.name} — ${o.format} ${o.width}×${o.height}, ${bytes(o.bytes)}`),
    el("a", { href: o.url, target: "_blank", rel: "noopener noreferrer",
      "aria-label": `Open ${o.name} of job ${shortId(job.id)} in a new tab` }, "Open"),
    el("a", { href: o.url, download: `${shortId(job.id)}-${o.name}.${extension(o.format)}`,
      "aria-label": `Download ${o.name} of job ${shortId(job.id)}` }, "Download")));

  const step = progressOf(job.status);
  card.append(
    el("div", { class: "thumb" }, picture),
    el("div", { class: "body" },
      el("div", {}, badge(job.status), " ", el("code", { class: "id", title: job.id }, job.id)),
      el("progress", { max: 3, value: step, "aria-label": `Job ${shortId(job.id)}: ${statusWords(job.status)}` }),
      el("p", { class: "meta" }, [job.priority, job.attempts ? `attempt ${job.attempts}` : null]
        .filter(Boolean).join(" · "), job.createdAt ? " · created " : "", when(job.createdAt)),
      sourceWords ? el("p", { class: "meta" }, sourceWords) : null,
      job.error ? el("p", { class: "error" }, `${job.error.code}: ${job.error.message}`) : null,
      renditions.length ? el("ul", { class: "renditions", "aria-label": "Renditions" }, renditions) : null,
      job.status === "queued" && state.apiKey
        ? el("button", { type: "button", class: "secondary", onclick: () => cancelJob(job.id),
          "aria-label": `Cancel job ${shortId(job.id)}` }, "Cancel") : null));
  return card;
}

function renderJob(job) {
  const list = $("job-list");
  const previous = state.jobs.get(job.id);
  const existing = list.querySelector(`li[data-job-id="${CSS.escape(job.id)}"]`);
  state.jobs.set(job.id, { ...previous, ...job });
  const merged = state.jobs.get(job.id);
  if (existing && previous && previous.status === merged.status && previous.updatedAt === merged.updatedAt
      && (previous.outputs || []).length === (merged.outputs || []).length) {
    return;
  }
  if (previous && previous.status !== merged.status && TERMINAL.has(merged.status)) {
    $("jobs-live").textContent = `Job ${shortId(job.id)} ${statusWords(merged.status)}.`;
  }
  const card = jobCard(merged, existing);
  if (existing) {
    existing.replaceWith(card);
  } else {
    // Newest first; a job known only by id and status (a capture's answer) is the newest.
    const after = !merged.createdAt ? list.firstElementChild : [...list.children].find((li) => {
      const other = state.jobs.get(li.dataset.jobId);
      return !other || !other.createdAt || other.createdAt < merged.createdAt;
    });
    list.insertBefore(card, after || null);
    if (!$("jobs-message").classList.contains("error")) say("jobs-message", "");
    while (list.children.length > MAX_JOBS_SHOWN) {
      const last = list.lastElementChild;
      state.jobs.delete(last.dataset.jobId);
      last.remove();
    }
  }
}

/** Adds or updates a job and keeps watching it while it is not finished. */
function showJob(job) {
  renderJob(job);
  watchJobs();
}

async function loadJobs() {
  const filter = $("jobs-filter").value;
  try {
    const page = await apiJson(`/api/v1/jobs?limit=20${filter ? "&status=" + encodeURIComponent(filter) : ""}`,
      { auth: "read" });
    $("job-list").replaceChildren();
    state.jobs.clear();
    page.items.slice().reverse().forEach(renderJob);
    if (!page.items.length) say("jobs-message", filter ? `No ${statusWords(filter)} jobs.` : "No jobs yet.");
    else say("jobs-message", "");
    watchJobs();
  } catch (e) {
    sayError("jobs-message", e);
  }
}

function unfinished() {
  return [...state.jobs.values()].filter((job) => !TERMINAL.has(job.status));
}

function watchJobs() {
  if (state.pollTimer) return;
  if (!unfinished().length) return;
  state.pollTimer = setTimeout(pollJobs, document.hidden ? POLL_MS * 5 : POLL_MS);
}

async function pollJobs() {
  const jobs = unfinished();
  let failure = null;
  await Promise.all(jobs.map(async (job) => {
    try {
      renderJob(await apiJson(`/api/v1/jobs/${encodeURIComponent(job.id)}`, { auth: "read" }));
    } catch (e) {
      if (e.status === 404) {
        // Gone (its record removed): nothing more to watch.
        state.jobs.delete(job.id);
        $("job-list").querySelector(`li[data-job-id="${CSS.escape(job.id)}"]`)?.remove();
        say("jobs-message", `Job ${job.id} no longer exists.`);
      } else {
        failure = e;
      }
    }
  }));
  state.pollTimer = null;
  if (failure) {
    sayError("jobs-message", failure);
    // Stop on a refused key; carry on through a passing outage.
    if (failure.status === 401 || failure.status === 403 || failure.status === 0 && !state.apiKey && !state.operator) {
      return;
    }
  } else if ($("jobs-message").classList.contains("error")) {
    say("jobs-message", "");
  }
  watchJobs();
}

async function cancelJob(id) {
  try {
    showJob(await apiJson(`/api/v1/jobs/${encodeURIComponent(id)}`, { method: "DELETE" }));
    say("jobs-message", `Job ${shortId(id)} cancelled.`, "ok");
  } catch (e) {
    sayError("jobs-message", e);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Submitting a job

const FIELD_CONTROLS = {
  image: "job-file", "source.url": "job-url", source: "job-url", preset: "job-preset", priority: "job-priority",
};

function markInvalid(form, field) {
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  if (!field) return;
  let id = FIELD_CONTROLS[field];
  const output = /^outputs\[(\d+)]\.?(.*)$/.exec(field);
  if (!id && output) {
    const [, index, rest] = output;
    if (index !== "0") id = "out-extra";
    else if (rest.startsWith("ops")) id = rest.endsWith("height") ? "out-height" : rest.endsWith("fit") ? "out-fit" : "out-width";
    else id = { name: "out-name", format: "out-format", quality: "out-quality" }[rest] || "out-name";
  }
  if (!id && field.startsWith("outputs")) id = "out-name";
  const control = id && $(id);
  if (control) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", "job-message");
  }
}

function customOutputs() {
  const number = (id) => ($(id).value.trim() === "" ? undefined : Number($(id).value));
  const width = number("out-width");
  const height = number("out-height");
  const first = { name: $("out-name").value.trim(), format: $("out-format").value, quality: number("out-quality") };
  if (width !== undefined || height !== undefined) {
    first.ops = [{ op: "resize", width, height, fit: $("out-fit").value }];
  }
  const outputs = [first];
  const extra = $("out-extra").value.trim();
  if (extra) {
    let parsed;
    try {
      parsed = JSON.parse(extra);
    } catch (e) {
      throw new ApiError(0, { field: "outputs[1]" }, `More outputs is not valid JSON: ${e.message}`);
    }
    if (!Array.isArray(parsed)) {
      throw new ApiError(0, { field: "outputs[1]" }, "More outputs must be a JSON array of outputs: [{…}, {…}].");
    }
    outputs.push(...parsed);
  }
  return outputs;
}

async function submitJob(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = $("job-submit");
  const kind = form.elements.sourceKind.value;
  const spec = { priority: $("job-priority").value };
  markInvalid(form, null);
  try {
    if (form.elements.outputKind.value === "custom") spec.outputs = customOutputs();
    else if ($("job-preset").value) spec.preset = $("job-preset").value;

    let request;
    if (kind === "upload") {
      const file = $("job-file").files[0];
      if (!file) throw new ApiError(0, { field: "image" }, "Choose an image file to upload.");
      const body = new FormData();
      body.append("image", file, file.name);
      body.append("spec", JSON.stringify(spec));
      request = { method: "POST", body };
    } else {
      const url = $("job-url").value.trim();
      if (!url) throw new ApiError(0, { field: "source.url" }, "Give the image's URL (http or https).");
      request = { method: "POST", json: { source: { url }, ...spec } };
    }
    button.disabled = true;
    say("job-message", "Sending…");
    const response = await api("/api/v1/jobs", request);
    const job = await response.json();
    const message = $("job-message");
    message.dataset.jobId = job.id;
    say(message, response.status === 200
      ? `Job ${job.id}: already made (${statusWords(job.status)}), answered from the cache.`
      : `Job ${job.id} accepted: ${statusWords(job.status)}.`, "ok");
    showJob(job);
  } catch (e) {
    sayError("job-message", e);
    markInvalid(form, e.field);
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Cameras

async function loadCameras() {
  const list = $("camera-list");
  const form = $("capture-form");
  let cameras;
  try {
    cameras = await apiJson("/api/v1/cameras");
  } catch (e) {
    // A service without cameras has no camera endpoint at all.
    if (e.status === 404 || e.status === 405) {
      list.replaceChildren(el("p", { class: "hint" }, "No cameras configured."));
      form.hidden = true;
      return;
    }
    if (e.status === 403) {
      list.replaceChildren(el("p", { class: "hint" }, `No cameras open to this key. ${e.message}`));
      form.hidden = true;
      return;
    }
    list.replaceChildren();
    form.hidden = true;
    sayError("capture-message", e);
    return;
  }
  const items = (cameras && cameras.items) || [];
  if (!items.length) {
    list.replaceChildren(el("p", { class: "hint" }, "No cameras configured."));
    form.hidden = true;
    return;
  }
  list.replaceChildren(el("ul", { class: "cameras", "aria-label": "Cameras and their state" }, items.map((c) =>
    el("li", { dataset: { cameraId: c.id, state: c.state } },
      el("div", {}, el("strong", {}, c.name || c.id), " ", badge(c.state), " ", el("code", {}, c.id)),
      el("div", { class: "meta" }, "checked ", when(c.lastCheckedAt) || "never", " · last capture ",
        when(c.lastCaptureAt) || "none",
        c.maxCapturesPerMinute ? ` · at most ${c.maxCapturesPerMinute} captures a minute` : ""),
      c.lastError ? el("div", { class: "meta error" }, `Last error: ${c.lastError.code}: ${c.lastError.message}`,
        c.lastError.at ? " (" : "", when(c.lastError.at), c.lastError.at ? ")" : "") : null))));
  const select = $("capture-camera");
  const chosen = select.value;
  select.replaceChildren(...items.map((c) => el("option", { value: c.id }, `${c.name || c.id} (${c.state})`)));
  if (items.some((c) => c.id === chosen)) select.value = chosen;
  form.hidden = false;
}

async function requestCapture(event) {
  event.preventDefault();
  const camera = $("capture-camera").value;
  const body = {
    count: Number($("capture-count").value || 1),
    intervalSeconds: Number($("capture-interval").value || 0),
    priority: $("capture-priority").value,
  };
  if ($("capture-preset").value) body.preset = $("capture-preset").value;
  try {
    const answer = await apiJson(`/api/v1/cameras/${encodeURIComponent(camera)}/captures`, { method: "POST", json: body });
    const jobs = (answer && answer.jobs) || [];
    say("capture-message", `Capture requested from ${camera}: ${jobs.length} job${jobs.length === 1 ? "" : "s"} (${jobs
      .map((j) => shortId(j.id)).join(", ")}).`, "ok");
    jobs.forEach(showJob);
  } catch (e) {
    sayError("capture-message", e);
  }
  loadCameras();
}

// ---------------------------------------------------------------------------------------------------------
// CSV batches

async function submitBatch(event) {
  event.preventDefault();
  const file = $("batch-file").files[0];
  if (!file) {
    say("batch-message", "Choose a CSV file.", "error");
    $("batch-file").setAttribute("aria-invalid", "true");
    return;
  }
  $("batch-file").removeAttribute("aria-invalid");
  const query = new URLSearchParams({ priority: $("batch-priority").value });
  if ($("batch-preset").value) query.set("preset", $("batch-preset").value);
  const body = new FormData();
  body.append("file", file, file.name);
  try {
    const accepted = await apiJson(`/api/v1/batches?${query}`, { method: "POST", body });
    say("batch-message", `Batch accepted: ${accepted.rows} product row${accepted.rows === 1 ? "" : "s"}.`, "ok");
    state.batch = accepted.id;
    $("batch-id").textContent = accepted.id;
    $("batch-progress").hidden = false;
    clearTimeout(state.batchTimer);
    pollBatch();
  } catch (e) {
    sayError("batch-message", e);
    if (e.field === "file") $("batch-file").setAttribute("aria-invalid", "true");
  }
}

async function pollBatch() {
  const id = state.batch;
  if (!id) return;
  let batch;
  try {
    batch = await apiJson(`/api/v1/batches/${encodeURIComponent(id)}?limit=1`);
  } catch (e) {
    sayError("batch-message", e);
    if (e.status !== 0 && e.status < 500) return;
    state.batchTimer = setTimeout(pollBatch, POLL_MS * 3);
    return;
  }
  if (id !== state.batch) return;
  const counts = batch.counts || {};
  const waiting = (counts.pending || 0) + (counts.queued || 0) + (counts.processing || 0);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const done = total - waiting;
  const bar = $("batch-bar");
  bar.max = Math.max(total, 1);
  bar.value = batch.status === "completed" ? bar.max : done;
  const parts = Object.entries(counts).filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status === "pending" ? "rows not started" : statusWords(status)}`);
  $("batch-summary").textContent = `${batch.status}: ${done} of ${total} done${parts.length ? " — " + parts.join(", ") : ""}.`;
  $("batch-progress").dataset.status = batch.status;
  if (batch.status !== "completed") state.batchTimer = setTimeout(pollBatch, POLL_MS);
}

async function downloadBatchOutput() {
  const id = state.batch;
  try {
    const response = await api(`/api/v1/batches/${encodeURIComponent(id)}/output.csv`, { accept: "text/csv" });
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `batch-${id}-output.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    sayError("batch-message", e);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Dead letters (operators)

function base64(text) {
  return btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join(""));
}

async function operatorLogin(event) {
  event.preventDefault();
  const user = $("operator-user").value.trim();
  const password = $("operator-password").value;
  if (!user || !password) {
    say("operator-message", "Enter the operator user name and password.", "error");
    return;
  }
  state.operator = base64(`${user}:${password}`);
  state.operatorName = user;
  $("operator-password").value = "";
  await loadDeadLetters(false);
}

function operatorForget() {
  state.operator = null;
  state.operatorName = "";
  $("operator-password").value = "";
  $("dead-letters").hidden = true;
  $("dead-letter-rows").replaceChildren();
  say("operator-message", "Operator credentials forgotten.");
}

async function loadDeadLetters(more) {
  try {
    const cursor = more && state.deadLetterCursor ? `&cursor=${encodeURIComponent(state.deadLetterCursor)}` : "";
    const page = await apiJson(`/api/v1/dead-letters?limit=50${cursor}`, { auth: "operator" });
    const rows = $("dead-letter-rows");
    if (!more) rows.replaceChildren();
    for (const entry of page.items) rows.append(deadLetterRow(entry));
    state.deadLetterCursor = page.nextCursor;
    $("dead-letters-more")?.remove();
    if (page.nextCursor) {
      $("dead-letters").append(el("button", { type: "button", id: "dead-letters-more", class: "secondary",
        onclick: () => loadDeadLetters(true) }, "Show more"));
    }
    $("dead-letters").hidden = false;
    if (!rows.children.length) {
      rows.append(el("tr", { class: "empty" }, el("td", { colspan: 6 }, "No dead letters.")));
    }
    const count = rows.querySelectorAll("tr[data-job-id]").length;
    say("operator-message", `Signed in as ${state.operatorName}: ${count} dead letter${count === 1 ? "" : "s"}${page.nextCursor ? " shown" : ""}.`, "ok");
  } catch (e) {
    if (e.status === 401) state.operator = null;
    sayError("operator-message", e);
  }
}

function deadLetterRow(entry) {
  const id = entry.jobId;
  const row = el("tr", { dataset: { jobId: id } });
  const actions = el("div", { class: "actions" },
    el("button", { type: "button", class: "replay", onclick: () => replay(id, row),
      "aria-label": `Replay job ${id}` }, "Replay"),
    el("button", { type: "button", class: "danger", onclick: () => askDiscard(id, row, actions),
      "aria-label": `Discard job ${id}` }, "Discard"));
  row.append(
    el("td", {}, el("code", { title: id }, id)),
    el("td", {}, entry.queue || ""),
    el("td", { class: "reason" }, el("strong", {}, entry.reasonCode || ""), entry.reason ? ": " + entry.reason : ""),
    el("td", {}, String(entry.attempts ?? "")),
    el("td", {}, when(entry.failedAt) || ""),
    el("td", {}, actions));
  return row;
}

/** Takes a handled dead letter off the list; focus moves to the next one's Replay, else to Refresh. */
function leaveList(row) {
  const rows = row.parentElement;
  const hadFocus = row.contains(document.activeElement);
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  if (rows && !rows.querySelector("tr[data-job-id]")) {
    rows.replaceChildren(el("tr", { class: "empty" }, el("td", { colspan: 6 }, "No dead letters.")));
  }
  if (hadFocus) (next?.querySelector("button.replay") || $("dead-letters-refresh")).focus();
}

async function replay(id, row) {
  try {
    const job = await apiJson(`/api/v1/dead-letters/${encodeURIComponent(id)}/replay`, { method: "POST", auth: "operator" });
    leaveList(row);
    say("operator-message", `Job ${id} replayed: ${statusWords(job.status)} again.`, "ok");
    showJob(job);
  } catch (e) {
    sayError("operator-message", e);
    if (e.status === 409 || e.status === 404) leaveList(row);
  }
}

function askDiscard(id, row, actions) {
  const inputId = `discard-${id}`;
  const form = el("form", { class: "actions" },
    el("label", { for: inputId, class: "visually-hidden" }, `Reason to discard job ${id}`),
    el("input", { id: inputId, name: "reason", required: true, placeholder: "Reason (required)" }),
    el("button", { type: "submit", class: "danger" }, "Discard"),
    el("button", { type: "button", class: "secondary", onclick: () => {
      form.replaceWith(actions);
      actions.querySelector("button.danger").focus();
    } }, "Keep"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = form.elements.reason.value.trim();
    if (!reason) {
      say("operator-message", "A discard needs a reason.", "error");
      form.elements.reason.setAttribute("aria-invalid", "true");
      form.elements.reason.focus();
      return;
    }
    try {
      const job = await apiJson(`/api/v1/dead-letters/${encodeURIComponent(id)}`,
        { method: "DELETE", json: { reason }, auth: "operator" });
      leaveList(row);
      say("operator-message", `Job ${id} discarded: ${statusWords(job.status)} (${reason}).`, "ok");
      showJob(job);
    } catch (e) {
      sayError("operator-message", e);
    }
  });
  actions.replaceWith(form);
  form.elements.reason.focus();
}

async function replayAll() {
  try {
    const answer = await apiJson("/api/v1/dead-letters/replay", { method: "POST", auth: "operator" });
    say("operator-message", `Replaying ${answer.replaying} dead letter${answer.replaying === 1 ? "" : "s"} in the background.`, "ok");
    setTimeout(() => loadDeadLetters(false), 1500);
  } catch (e) {
    sayError("operator-message", e);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Wiring

function showChoice(form, name, attribute) {
  const value = form.elements[name].value;
  for (const part of form.querySelectorAll(`[${attribute}]`)) part.hidden = part.getAttribute(attribute) !== value;
}

function start() {
  const keyInput = $("api-key");
  keyInput.value = state.apiKey;
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = keyInput.value.trim();
    if (!key) {
      say("key-message", "Enter the key first.", "error");
      return;
    }
    useKey(key);
    onKeyEntered();
  });
  $("forget-key").addEventListener("click", () => {
    useKey("");
    keyInput.value = "";
    say("key-message", "Key forgotten.");
  });

  const jobForm = $("job-form");
  jobForm.addEventListener("submit", submitJob);
  jobForm.addEventListener("change", (event) => {
    if (event.target.name === "sourceKind") showChoice(jobForm, "sourceKind", "data-source");
    if (event.target.name === "outputKind") showChoice(jobForm, "outputKind", "data-outputs");
    if (event.target.id === "job-preset") describePreset();
  });
  $("jobs-refresh").addEventListener("click", loadJobs);
  $("jobs-filter").addEventListener("change", loadJobs);

  $("capture-form").addEventListener("submit", requestCapture);
  $("cameras-refresh").addEventListener("click", loadCameras);

  $("batch-form").addEventListener("submit", submitBatch);
  $("batch-output").addEventListener("click", downloadBatchOutput);

  $("operator-form").addEventListener("submit", operatorLogin);
  $("operator-forget").addEventListener("click", operatorForget);
  $("dead-letters-refresh").addEventListener("click", () => loadDeadLetters(false));
  $("dead-letters-replay-all").addEventListener("click", replayAll);

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && state.pollTimer) {
      clearTimeout(state.pollTimer);
      state.pollTimer = null;
      pollJobs();
    }
  });

  if (state.apiKey) onKeyEntered();
  document.body.dataset.ready = "true";
}

start();
