// Embeds the widget the way a customer's site would, taking the inbox key from ?inbox=.
(function () {
  var params = new URLSearchParams(location.search);
  var inbox = params.get('inbox') || 'demo';
  var s = document.createElement('script');
  s.src = '/widget.js';
  s.async = true;
  s.setAttribute('data-inbox', inbox);
  if (params.get('locale')) s.setAttribute('data-locale', params.get('locale'));
  document.getElementById('snippet').textContent =
    '<script src="' + location.origin + '/widget.js" data-inbox="' + inbox + '" async></script>';
  document.body.appendChild(s);
})();
