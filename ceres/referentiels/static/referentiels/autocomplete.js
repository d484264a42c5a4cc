/* CERES — autocomplete of communes / countries on the public API (/api/v1/communes/, /api/v1/pays/).
 * Markup (rendered by CommuneWidget / PaysWidget and the commune search page):
 *   <div data-ceres-autocomplete data-api-url="/api/v1/communes/" data-date-field="birth_date"
 *        [data-date="2026-01-01"] [data-submit-on-choose]>
 *     <input type="text" role="combobox" …> <input type="hidden" data-ceres-value …> <ul role="listbox" hidden></ul>
 *   </div>
 * Loaded with the CSP nonce; no inline handlers. */
(function () {
  "use strict";
  const DELAY_MS = 200;

  function setup(root) {
    const input = root.querySelector("input[role=combobox]");
    const hidden = root.querySelector("input[data-ceres-value]");
    const list = root.querySelector("[role=listbox]");
    const status = root.querySelector("[data-ceres-status]");
    const form = root.closest("form");
    const dateName = root.dataset.dateField;
    let timer = null;
    let active = -1;
    let controller = null;

    function dateValue() {
      if (root.dataset.date) return root.dataset.date;
      if (!dateName || !form) return "";
      const field = form.querySelector('[name="' + dateName + '"]');
      return field && field.value ? field.value : "";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function say(text) {
      if (status) status.textContent = text;
    }

    function choose(option) {
      if (hidden) hidden.value = option.dataset.id;
      close();
      if ("submitOnChoose" in root.dataset && form) {
        // Search page: show the full results of the chosen commune (by its code).
        input.value = option.dataset.code;
        form.requestSubmit();
        return;
      }
      input.value = option.dataset.label;
      input.dispatchEvent(new CustomEvent("ceres:choisi", { bubbles: true, detail: { id: option.dataset.id } }));
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach((o, i) => o.setAttribute("aria-selected", i === active ? "true" : "false"));
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function render(results) {
      list.replaceChildren();
      results.forEach((r, i) => {
        const li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "ceres-autocomplete__option";
        li.dataset.id = r.id;
        li.dataset.label = r.libelle;
        li.dataset.code = r.code_insee;
        const main = document.createElement("span");
        main.className = "ceres-autocomplete__label";
        main.textContent = r.libelle;
        const details = document.createElement("span");
        details.className = "fr-hint-text";
        details.textContent = r.details || [r.departement_libelle, r.periode].filter(Boolean).join(" · ");
        li.append(main, details);
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(li);
        });
        list.append(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      const n = results.length;
      say(n ? n + " proposition" + (n > 1 ? "s" : "") + " : flèches haut et bas pour parcourir, Entrée pour choisir." : "Aucun résultat.");
    }

    function search() {
      const q = input.value.trim();
      if (q.length < 2) {
        close();
        return;
      }
      const params = new URLSearchParams({ q: q, limit: "10" });
      const day = dateValue();
      if (day) params.set("date", day);
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(root.dataset.apiUrl + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
        .then((response) => response.json().then((body) => ({ ok: response.ok, body: body })))
        .then(({ ok, body }) => {
          if (!ok) {
            list.replaceChildren();
            close();
            say(body.erreur || "La recherche a échoué.");
            return;
          }
          render(body.results);
        })
        .catch((error) => {
          if (error.name !== "AbortError") say("La recherche a échoué, réessayez.");
        });
    }

    input.addEventListener("input", () => {
      if (hidden) hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) {
        // Combobox pattern: Down arrow reopens the proposals closed by Escape or by leaving the field.
        if (event.key === "ArrowDown" && list.children.length) {
          event.preventDefault();
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          highlight(0);
        }
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(list.querySelectorAll("[role=option]")[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    if (dateName && form) {
      const field = form.querySelector('[name="' + dateName + '"]');
      if (field) field.addEventListener("change", () => input.value.trim().length >= 2 && search());
    }
  }

  function init(scope) {
    scope.querySelectorAll("[data-ceres-autocomplete]").forEach((root) => {
      if (root.dataset.ceresReady) return;
      root.dataset.ceresReady = "1";
      setup(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => init(document));
  } else {
    init(document);
  }
  // Forms swapped in by htmx get their autocompletes too.
  document.addEventListener("htmx:afterSettle", (event) => init(event.target));
})();
