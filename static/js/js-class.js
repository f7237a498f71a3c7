// Loaded in <head>, before the page paints: marks the page as having JavaScript, so CSS can fold
// what a script will fold anyway (the search filters on a phone) without the page jumping.
document.documentElement.classList.add("js");
