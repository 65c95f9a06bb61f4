/* The header's menu on narrow screens: a disclosure button shows and hides the navigation.
 *
 * Without JavaScript the button stays hidden and the navigation open. On wide screens the stylesheet shows the
 * navigation whatever the button says (the button itself is not displayed there).
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
        panel.classList.toggle("is-collapsed", !open);
    }

    function buttonShown() {
        return button.offsetParent !== null;
    }

    setOpen(false);
    button.hidden = false;
    header.classList.add("has-menu-button");

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
