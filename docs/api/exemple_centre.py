#!/usr/bin/env python3
"""Exemple : le logiciel d'un centre prépare une session de bout en bout par l'API de CERES.

Crée une session sur un agrément valide du centre, inscrit deux candidats (un nouveau dossier, et une personne qui a
déjà un dossier : CERES renvoie le dossier existant au lieu d'en créer un second), compose le jury à partir des jurés
à convoquer, envoie les convocations, ouvre la session, saisit les résultats et les transmet à l'UD.
L'UD valide ensuite la session sur les pages de CERES (docs/api.md).

    CERES_URL=http://127.0.0.1:8000 CERES_CLE=ceres_… python3 docs/api/exemple_centre.py

Bibliothèque standard seulement (urllib) : à adapter dans le langage du logiciel du centre.
"""

import datetime
import json
import os
import sys
import urllib.error
import urllib.request
import uuid


class ApiError(Exception):
    def __init__(self, status, body):
        self.status, self.body = status, body
        erreurs = "; ".join(e["message"] for e in body.get("erreurs", [])) if isinstance(body, dict) else ""
        super().__init__(f"HTTP {status} : {body.get('detail', body) if isinstance(body, dict) else body} {erreurs}")


class Ceres:
    """Client minimal : clé d'API, JSON, clé d'idempotence sur chaque POST (une requête rejouée ne crée rien)."""

    def __init__(self, base_url, cle, send=None):
        self.base_url, self.cle = base_url.rstrip("/"), cle
        self.send = send or self._urllib

    def _urllib(self, method, url, headers, body):
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def call(self, method, path, payload=None):
        headers = {"Authorization": f"Bearer {self.cle}", "Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if method == "POST":
            headers["Idempotency-Key"] = str(uuid.uuid4())
        status, content = self.send(method, f"{self.base_url}/api/v1{path}", headers, body)
        data = json.loads(content) if content else None
        if status >= 400:
            raise ApiError(status, data)
        return data


def preparer_session(ceres, *, nouveau, existant, aujourd_hui=None, log=print):
    """Le parcours complet ; renvoie la session transmise à l'UD. `nouveau` et `existant` : identités des candidats."""
    jour = (aujourd_hui or datetime.date.today()).isoformat()

    agrement = ceres.call("GET", "/agrements/?statut=valide")["results"][0]
    log(f"Agrément : {agrement['titre']['libelle']} sur le site {agrement['site']['nom']}")

    session = ceres.call(
        "POST",
        "/sessions/",
        {"titre": agrement["titre"]["id"], "site": agrement["site"]["id"], "debut": jour, "fin": jour},
    )
    log(f"Session créée : {session['id']} ({session['etat_libelle']})")

    inscriptions = []
    for identite in (nouveau, existant):
        inscription = ceres.call(
            "POST",
            f"/sessions/{session['id']}/inscriptions/",
            # identite_verifiee : le candidat s'est présenté au centre avec sa pièce d'identité (obligatoire quand
            # CERES retrouve un dossier ouvert par un autre centre ; journalisé).
            {
                "candidat": identite,
                "voie_acces": "formation_continue",
                "debut_formation": "2025-09-01",
                "identite_verifiee": True,
            },
        )
        origine = "dossier existant" if inscription["dossier_existant"] else "nouveau dossier"
        log(
            f"Inscrit : {inscription['candidat']['nom_naissance']} (n° {inscription['candidat']['numero']}, {origine})"
        )
        inscriptions.append(inscription)

    jures = ceres.call("GET", f"/sessions/{session['id']}/jures-a-convoquer/")
    for jure in jures[:2]:
        session = ceres.call("POST", f"/sessions/{session['id']}/jury/", {"membre": jure["membre"]})
        log(f"Juré convoqué : {jure['nom']} ({jure['proximite']})")

    ceres.call("POST", f"/sessions/{session['id']}/convocations/")
    suivi = ceres.call("GET", f"/sessions/{session['id']}/convocations/")
    log(f"Convocations : {suivi['envois'][0]['etat_libelle']}")

    session = ceres.call("POST", f"/sessions/{session['id']}/ouverture/")
    log(f"Session {session['etat_libelle']}")

    for inscription, resultat in zip(inscriptions, ("obtenu", "non_obtenu"), strict=True):
        ccps = {str(ordre): "obtenu" for ordre in inscription["ccps"]}
        ccps[str(inscription["ccps"][-1])] = resultat
        resultats = {"ccps": ccps, "entretien_final": "favorable"}
        saisie = ceres.call("PUT", f"/inscriptions/{inscription['id']}/resultats/", resultats)
        log(f"Résultats de {saisie['candidat']['nom_naissance']} : {saisie['decision']}")

    session = ceres.call("POST", f"/sessions/{session['id']}/transmission/", {"pv_signe": True})
    log(f"Session {session['etat_libelle']} : à valider par l'UD sur les pages de CERES.")
    return session


if __name__ == "__main__":
    ceres = Ceres(os.environ.get("CERES_URL", "http://127.0.0.1:8000"), os.environ["CERES_CLE"])
    try:
        preparer_session(
            ceres,
            nouveau={
                "civilite": "MME",
                "nom_naissance": "Exemple",
                "prenoms": "Camille",
                "date_naissance": "1995-04-12",
                "commune_naissance": "69123",
                "courriel": "camille.exemple@example.org",
            },
            # Une personne qui a déjà un dossier CERES : mêmes nom, prénom, date et lieu de naissance.
            existant=json.loads(os.environ["CERES_CANDIDAT_EXISTANT"]),
        )
    except ApiError as error:
        sys.exit(str(error))
