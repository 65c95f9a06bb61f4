/*
 * The page editor's buttons and Wagtail's autosave never send the same form at once.
 *
 * On a new page, autosave creates the page in the background a moment after the person types. A button
 * pressed while that request is on its way used to send the form to the "add" address too: the page was
 * created twice, or the second creation failed (a server error, or "this slug is already in use" on a tab
 * the person never opened). Now a press during an autosave waits for it, then goes to the page it created;
 * a press with no autosave on its way stops any autosave still to come before the form leaves.
 */
(() => {
  const form = document.querySelector('form[data-edit-form][data-controller~="w-autosave"]');
  if (!form) {
    return;
  }
  let saving = false;
  let waiting = null;

  form.addEventListener('w-autosave:save', (event) => {
    // Read once every listener has run: one of them may cancel the save.
    queueMicrotask(() => {
      saving = !event.defaultPrevented;
    });
  });

  const resubmit = ({ name, value }) => {
    // The pressed button may be disabled by now (Wagtail shows its progress) or redrawn by the autosave: its
    // name and value go with the form as a hidden field, as the button would have sent them.
    if (name) {
      const field = document.createElement('input');
      field.type = 'hidden';
      field.name = name;
      field.value = value;
      form.append(field);
    }
    form.requestSubmit();
  };
  const settled = () => {
    saving = false;
    if (waiting) {
      const pressed = waiting;
      waiting = null;
      resubmit(pressed);
    }
  };
  form.addEventListener('w-autosave:success', settled);
  form.addEventListener('w-autosave:error', settled);

  form.addEventListener(
    'submit',
    (event) => {
      if (saving) {
        event.preventDefault();
        event.stopImmediatePropagation();
        const { submitter } = event;
        waiting = { name: submitter?.name || '', value: submitter?.value || '' };
        submitter?.setAttribute('aria-busy', 'true');
        return;
      }
      form.setAttribute('data-w-autosave-active-value', 'false');
    },
    true,
  );
})();
