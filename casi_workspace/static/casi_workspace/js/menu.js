/* The header's menu on narrow screens: a disclosure button shows and hides the navigation.
 *
 * The stylesheet collapses the navigation and shows the button from the first paint when scripting is on
 * (`@media (scripting: enabled)`), so nothing moves when this script runs; without JavaScript the button stays
 * hidden and the navigation open. Browsers that don't know that media feature get the same through the
 * `has-menu-button` class, set here. On wide screens the navigation shows whatever the button says.
 */
(function () {
    "use strict";

    var header = document.querySelector("[data-site-header]");
    var button = header && header.querySelector(".site-nav-toggle");
    var panel = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) {
        return;
    }

    function isOpen() {
        return button.getAttribute("aria-expanded") === "true";
    }

    function setOpen(open) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        panel.classList.toggle("is-open", open);
    }

    function buttonShown() {
        return button.offsetParent !== null;
    }

    if (!window.matchMedia || !window.matchMedia("(scripting: enabled)").matches) {
        header.classList.add("has-menu-button");
    }

    button.addEventListener("click", function () {
        setOpen(!isOpen());
    });

    // Escape closes the open menu and gives the focus back to its button.
    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && isOpen() && buttonShown()) {
            setOpen(false);
            button.focus();
        }
    });
})();
