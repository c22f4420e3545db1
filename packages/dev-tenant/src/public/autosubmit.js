// Submits the development tenant's self-posting form (response_mode=form_post, sign-out hand-offs).
// Served as a file so the pages need no inline script.
document.getElementById('dt-autosubmit')?.submit();
