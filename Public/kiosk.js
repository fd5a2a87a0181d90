// The kiosk starts over by itself for the next person, with a visible countdown that anyone can stop
// (WCAG 2.2.1, timing adjustable). Without JavaScript the "Siguiente persona" button does the same.
(function () {
  var box = document.getElementById("reinicio");
  if (!box) return;
  var seconds = parseInt(box.dataset.seconds, 10) || 10;
  var count = document.getElementById("reinicio-segundos");
  var stop = document.getElementById("reinicio-detener");
  box.hidden = false;
  var timer = setInterval(function () {
    seconds -= 1;
    count.textContent = String(seconds);
    if (seconds <= 0) {
      clearInterval(timer);
      window.location.replace(box.dataset.url);
    }
  }, 1000);
  stop.addEventListener("click", function () {
    clearInterval(timer);
    box.textContent = box.dataset.stopped;
  });
})();
