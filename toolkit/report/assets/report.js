(function () {
  var current = null;
  function show(id, push) {
    var el = document.getElementById(id);
    if (!el) { return false; }
    if (current) { current.classList.remove("hl"); }
    el.classList.add("hl");
    current = el;
    el.scrollIntoView({block: "center", inline: "nearest"});
    el.focus({preventScroll: true});
    if (push) {
      try { history.pushState(null, "", "#" + id); } catch (e) { /* file:// in some browsers */ }
    }
    return true;
  }
  var followed = null;
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a[data-target]") : null;
    if (link && show(link.getAttribute("data-target"), true)) {
      ev.preventDefault();
      if (followed) { followed.classList.remove("current"); }
      link.classList.add("current");
      followed = link;
    }
  });
  function fromHash() {
    var id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* a malformed hash is used as it is */ }
    if (id) { show(id, false); }
  }
  window.addEventListener("hashchange", fromHash);
  window.addEventListener("popstate", fromHash);
  fromHash();
})();
