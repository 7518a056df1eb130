// The chat page of `slotfill serve` (src/server/page.rs). It talks to the server's own
// `POST /conversations/{id}/messages` and shows what each turn did in the side panel.
// Every string the user or the bot wrote goes into the page as textContent, never as
// markup, so a message is shown as typed and never runs.
"use strict";

const byId = (id) => document.getElementById(id);
const page = {
  messages: byId("messages"),
  emptyHint: byId("empty-hint"),
  composer: byId("composer"),
  input: byId("message-input"),
  send: byId("send"),
  newConversation: byId("new-conversation"),
  conversationId: byId("conversation-id"),
  turnNumber: byId("turn-number"),
  intent: byId("turn-intent"),
  confidence: byId("turn-confidence"),
  confidenceBar: byId("confidence-bar"),
  entities: byId("entities"),
  entitiesNone: byId("entities-none"),
  formName: byId("form-name"),
  slots: byId("slots"),
  slotsNone: byId("slots-none"),
  action: byId("action"),
  commands: byId("commands"),
  commandsNone: byId("commands-none"),
};

let conversationId = "";
// Turns answered in this conversation; `data-answered` on <body> mirrors it (with failed
// sends counted too) so that a test driving the page knows when an answer is in.
let turns = 0;
let answered = 0;

// getRandomValues rather than randomUUID: the latter exists only on https or localhost,
// and the page is also opened over plain http from other hosts.
function freshConversationId() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setState(state) {
  document.body.dataset.state = state;
  document.body.dataset.answered = String(answered);
  page.send.disabled = state === "busy";
}

function addBubble(role, text) {
  page.emptyHint.hidden = true;
  const bubble = make("li", `bubble bubble-${role}`, text);
  bubble.dataset.role = role;
  page.messages.append(bubble);
  bubble.scrollIntoView({ block: "end" });
  return bubble;
}

// A resolved value or slot value in words: a place by name and country, an interval by
// its ends, any other object by its `value`, and JSON as the last resort.
function describe(value) {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.map(describe).join(", ");
  if (typeof value !== "object") return String(value);
  if (value.kind === "place") return [value.name, value.country].filter(Boolean).join(", ");
  if ("from" in value && "to" in value) return `${describe(value.from)} – ${describe(value.to)}`;
  if ("value" in value) return describe(value.value);
  return JSON.stringify(value);
}

function percent(confidence) {
  return `${Math.round(confidence * 100)}%`;
}

function fill(list, none, items) {
  list.replaceChildren(...items);
  none.hidden = items.length > 0;
}

function entityItem(entity) {
  const item = make("li", "entity");
  item.dataset.entity = entity.entity;
  const label = entity.role ? `${entity.entity}:${entity.role}` : entity.entity;
  item.append(
    make("span", "chip", label),
    make("q", "entity-text", entity.value),
    make("span", "entity-resolved", entity.resolved == null ? "unresolved" : describe(entity.resolved)),
    make("span", "entity-confidence", percent(entity.confidence)),
  );
  if (entity.resolved == null) item.classList.add("entity-unresolved");
  return item;
}

function slotItem(name, reply) {
  const filled = Object.prototype.hasOwnProperty.call(reply.slots, name);
  const state = filled ? "filled" : reply.asking === name ? "asking" : "missing";
  const item = make("li", `slot slot-${state}`);
  item.dataset.slot = name;
  item.dataset.state = state;
  const value = filled ? describe(reply.slots[name]) : state === "asking" ? "asking…" : "—";
  item.append(make("span", "slot-name", name), make("span", "slot-value", value));
  return item;
}

function commandItem(command) {
  const item = make("li", "command");
  item.dataset.command = command.command;
  item.append(make("code", "command-name", command.command));
  for (const [key, value] of Object.entries(command)) {
    if (key === "command") continue;
    item.append(make("span", "command-arg", `${key}: ${describe(value)}`));
  }
  return item;
}

function showTurn(number, reply) {
  page.turnNumber.textContent = number === 0 ? "—" : `#${number}`;
  page.intent.textContent = reply ? reply.intent : "—";
  page.confidence.textContent = reply ? percent(reply.confidence) : "";
  page.confidence.dataset.confidence = reply ? String(reply.confidence) : "";
  page.confidenceBar.style.width = reply ? percent(reply.confidence) : "0%";
  if (!reply) {
    fill(page.entities, page.entitiesNone, []);
    fill(page.slots, page.slotsNone, []);
    fill(page.commands, page.commandsNone, []);
    page.formName.textContent = "";
    page.action.hidden = true;
    return;
  }
  fill(page.entities, page.entitiesNone, reply.entities.map(entityItem));
  // The open form's slots in asking order; when the form just fired, `form_slots` is empty
  // and `slots` holds what it fired with.
  const names = [...reply.form_slots];
  for (const name of Object.keys(reply.slots)) if (!names.includes(name)) names.push(name);
  fill(page.slots, page.slotsNone, names.map((name) => slotItem(name, reply)));
  page.formName.textContent = reply.form || (reply.action ? reply.action.intent : "");
  page.action.hidden = !reply.action;
  page.action.textContent = reply.action ? `Fired action ${reply.action.name}` : "";
  fill(page.commands, page.commandsNone, reply.commands.map(commandItem));
}

function selectBubble(bubble) {
  for (const selected of page.messages.querySelectorAll(".bubble-selected")) {
    selected.classList.remove("bubble-selected");
  }
  bubble.classList.add("bubble-selected");
}

async function errorMessage(response) {
  const body = await response.json().catch(() => ({}));
  return body.error || `${response.status} ${response.statusText}`;
}

async function send(text) {
  const id = conversationId;
  const mine = addBubble("user", text);
  setState("busy");
  try {
    const response = await fetch(`conversations/${encodeURIComponent(id)}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text }),
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    const reply = await response.json();
    // A new conversation started while this one waited: its answer belongs to no one shown.
    if (id !== conversationId) return;
    turns += 1;
    const number = turns;
    mine.dataset.turn = String(number);
    mine.title = "Show this turn in the panel";
    mine.tabIndex = 0;
    const show = () => {
      selectBubble(mine);
      showTurn(number, reply);
    };
    mine.addEventListener("click", show);
    mine.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") show();
    });
    for (const line of reply.replies) addBubble("bot", line);
    show();
  } catch (error) {
    if (id === conversationId) addBubble("error", error.message);
  } finally {
    if (id === conversationId) {
      answered += 1;
      setState("idle");
    }
  }
}

async function startConversation() {
  const previous = conversationId;
  conversationId = freshConversationId();
  page.conversationId.textContent = conversationId;
  turns = 0;
  answered = 0;
  page.messages.replaceChildren(page.emptyHint);
  page.emptyHint.hidden = false;
  showTurn(0, null);
  if (!previous) {
    setState("idle");
    return;
  }
  setState("busy");
  try {
    const response = await fetch(`conversations/${encodeURIComponent(previous)}`, {
      method: "DELETE",
    });
    // 404 is fine: a conversation with nothing said was never stored.
    if (!response.ok && response.status !== 404) throw new Error(await errorMessage(response));
  } catch (error) {
    addBubble("error", `The last conversation was not deleted: ${error.message}`);
  }
  setState("idle");
  page.input.focus();
}

page.composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = page.input.value.trim();
  if (!text || document.body.dataset.state === "busy") return;
  page.input.value = "";
  send(text);
});
page.newConversation.addEventListener("click", startConversation);

startConversation();
