// Forms that ask before they act: <form data-confirm="Question ?">. A static file, as the Content-Security-Policy
// allows scripts from the site only (no handler attribute in the pages).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
