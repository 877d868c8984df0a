// Progressive enhancement of the check-in page: where the browser offers BarcodeDetector and
// a camera, read the QR and submit the same form a person would type into. Without it the page
// works as a plain form.
(function () {
  "use strict";
  var box = document.getElementById("camera");
  var form = document.getElementById("scan-form");
  if (!box || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  var input = form.querySelector("input[name=code]");
  var video = document.getElementById("camera-video");
  var toggle = document.getElementById("camera-toggle");
  var stream = null;
  var detector = null;
  box.hidden = false;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.removeAttribute("data-on");
    toggle.textContent = box.getAttribute("data-start");
  }

  function tick() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        input.value = codes[0].rawValue;
        stop();
        form.submit();
        return;
      }
      window.setTimeout(tick, 200);
    }).catch(function () { window.setTimeout(tick, 500); });
  }

  toggle.addEventListener("click", function () {
    if (stream) { stop(); return; }
    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") === -1) { box.hidden = true; return null; }
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    }).then(function (s) {
      if (!s) { return; }
      stream = s;
      video.srcObject = s;
      video.setAttribute("data-on", "");
      toggle.textContent = box.getAttribute("data-stop");
      return video.play().then(tick);
    }).catch(function () { stop(); box.hidden = true; input.focus(); });
  });
})();
