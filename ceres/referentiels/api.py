"""Public open-data JSON endpoints of the référentiels (no login, read-only), for CERES pages and centres' software.

GET /api/v1/communes/?q=<texte>&date=<AAAA-MM-JJ>&limit=<n>  ->  {"results": [...], "count": n}
GET /api/v1/pays/?q=<texte>&date=<AAAA-MM-JJ>&limit=<n>
GET /api/v1/titres/?q=<code TP, n° RNCP ou mots de l'intitulé>&date=<AAAA-MM-JJ: versions pas en fin de vie>
A bad parameter gives 400 with {"erreur": "<French sentence>"}.

- q: the start of a name (or of one of its words) or of an INSEE code; cut to 100 characters, control characters
  ignored, full-width forms folded. SQL wildcards (% _) are plain characters: the search is an index range on a
  normalised key, never a LIKE. Fewer than one letter or digit: no result.
- date: AAAA-MM-JJ. Names valid that day. Before 01/01/1943 (start of the COG), the 1943 state is used;
  after today, today's names (the future is not known).
- limit: 1 to 50 (20 by default).
- Responses are the same for everyone and change once a year (COG): Cache-Control public, one hour;
  Access-Control-Allow-Origin * (open data, no credentials).
- No rate limit in the application: each search is one bounded index query; throttling, if ever needed, belongs
  to the reverse proxy.
"""

from django.http import JsonResponse
from django.views import View

from ceres.core.views import public
from ceres.referentiels import communes, selectors

DEFAULT_LIMIT = 20


class _SearchApi(View):
    http_method_names = ["get", "head", "options"]
    search = None  # staticmethod(search function)

    def get(self, request):
        try:
            on_date = communes.parse_date_param(request.GET.get("date"))
            limit = self._limit(request.GET.get("limit"))
        except communes.InvalidQuery as error:
            return JsonResponse({"erreur": str(error)}, status=400)
        results = self.search(request.GET.get("q", ""), on_date=on_date, limit=limit)
        response = JsonResponse({"results": results, "count": len(results)})
        # Open data, identical for everyone: let browsers and proxies keep it a little.
        response["Cache-Control"] = "public, max-age=3600"
        return response

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # Readable from any web page (like geo.api.gouv.fr): no cookie is sent nor read cross-origin.
        response["Access-Control-Allow-Origin"] = "*"
        return response

    @staticmethod
    def _limit(value):
        if not value:
            return DEFAULT_LIMIT
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= communes.MAX_LIMIT:
            raise communes.InvalidQuery(
                f"Le paramètre « limit » doit être un nombre entier entre 1 et {communes.MAX_LIMIT}."
            )
        return int(value)


@public
class CommuneApi(_SearchApi):
    search = staticmethod(communes.search_communes)


@public
class PaysApi(_SearchApi):
    search = staticmethod(communes.search_pays)


@public
class TitreApi(_SearchApi):
    """Title picker: every version unless a date is given (a juror may be habilitated on an ended title)."""

    @staticmethod
    def search(query, *, on_date, limit):
        return selectors.search_titres(query, on_date=on_date, limit=limit)
