// The live table: follows the facilitator through Server-Sent Events. The browser reconnects by
// itself and sends the last event id it saw, so nothing is lost. Without JavaScript the console
// still works (reload to see what changed).
(function () {
  var root = document.getElementById("consola");
  if (!root || !window.EventSource) return;
  var url = root.dataset.events + "?after=" + encodeURIComponent(root.dataset.last || "0");
  var source = new EventSource(url);
  var live = document.getElementById("en-vivo");

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) element.className = className;
    return element;
  }

  function notice(message) {
    var box = document.getElementById("aviso");
    box.textContent = message;
    box.hidden = false;
  }

  source.onopen = function () { live.hidden = false; };
  source.onerror = function () { live.hidden = true; };

  source.addEventListener("stage", function (event) {
    var data = JSON.parse(event.data);
    document.getElementById("etapa").textContent = data.stageLabel;
    root.dataset.stage = data.stage;
    // The stage list marks the current stage too (aria-current and its highlight), not only #etapa.
    root.querySelectorAll(".stages li").forEach(function (item) {
      if (item.textContent.trim() === data.stageLabel) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
    });
    notice(root.dataset.stageNotice.replace("{stage}", data.stageLabel).replace("{at}", data.at));
  });

  source.addEventListener("presenting", function (event) {
    var data = JSON.parse(event.data);
    var box = document.getElementById("presentando");
    box.replaceChildren(text("p", data.itemTitle, "presenting-title"), text("p", data.itemBody || "", "body"));
    var select = document.getElementById("dossierItemId");
    if (select) select.value = data.itemId;
  });

  source.addEventListener("attendance", function (event) {
    var data = JSON.parse(event.data);
    var cell = document.getElementById("asistencia-" + data.memberId);
    if (cell) cell.textContent = data.presenceLabel;
  });

  source.addEventListener("intervention", function (event) {
    var data = JSON.parse(event.data);
    if (document.querySelector('[data-intervention="' + data.interventionId + '"]')) return;
    var item = document.createElement("li");
    item.dataset.intervention = data.interventionId;
    var meta = data.at + " · " + data.memberName + " · " + data.kindLabel + (data.itemTitle ? " · " + data.itemTitle : "");
    item.append(text("span", meta, "meta"), " " + data.text);
    document.getElementById("intervenciones").append(item);
  });
})();
