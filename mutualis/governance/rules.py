"""Pure rules of the operator's assemblies: the ACTES nomenclature, notice periods, quorum and
the consistency of a vote. No Django here (mypy strict).

Notice: the comité syndical of a syndicat mixte « fermé » follows the rules of the communes'
councils (CGCT L5211-1 via L5711-1): 5 clear days (« jours francs », L2121-12) when a member
commune has 3,500 inhabitants or more, 3 otherwise (L2121-11). Clear days count neither the
day the convocation is sent nor the day of the meeting. A syndicat mixte « ouvert » (L5721-2)
follows its statutes: each body carries its own period.

Quorum (L2121-17): more than half of the members in office present; proxies (pouvoirs, at most
one per present member, L2121-20) vote but do not count towards the quorum. Without a quorum,
the body is convened again at least 3 days later and then deliberates whatever the attendance.
"""

import datetime as dt
from dataclasses import dataclass

# ACTES nomenclature, level 1 / level 2 (the matières the SCDL « délibérations » schema asks
# for: '1.1'-'1.7', '2.1'-'2.3', '3.1'-'3.6', '4.1'-'4.5', '5.1'-'5.8', '6.1'-'6.5',
# '7.1'-'7.10', '8.1'-'8.9', '9.1'-'9.4').
ACTES_LEVEL1: dict[str, str] = {
    "1": "Commande publique",
    "2": "Urbanisme",
    "3": "Domaine et patrimoine",
    "4": "Fonction publique",
    "5": "Institutions et vie politique",
    "6": "Libertés publiques et pouvoirs de police",
    "7": "Finances locales",
    "8": "Domaines de compétences par thèmes",
    "9": "Autres domaines de compétences",
}
ACTES_MATIERES: dict[str, str] = {
    "1.1": "Marchés publics",
    "1.2": "Délégation de service public",
    "1.3": "Conventions de mandat",
    "1.4": "Autres types de contrats",
    "1.5": "Transactions protocole d'accord transactionnel",
    "1.6": "Maîtrise d'œuvre",
    "1.7": "Actes spéciaux et divers",
    "2.1": "Documents d'urbanisme",
    "2.2": "Actes relatifs au droit d'occupation ou d'utilisation des sols",
    "2.3": "Droit de préemption urbain",
    "3.1": "Acquisitions",
    "3.2": "Aliénations",
    "3.3": "Locations",
    "3.4": "Limites territoriales",
    "3.5": "Actes de gestion du domaine public",
    "3.6": "Autres actes de gestion du domaine privé",
    "4.1": "Personnel titulaires et stagiaires de la FPT",
    "4.2": "Personnel contractuel",
    "4.3": "Fonction publique hospitalière",
    "4.4": "Autres catégories de personnels",
    "4.5": "Régime indemnitaire",
    "5.1": "Élection exécutif",
    "5.2": "Fonctionnement des assemblées",
    "5.3": "Désignation de représentants",
    "5.4": "Délégation de fonctions",
    "5.5": "Délégation de signature",
    "5.6": "Exercice des mandats locaux",
    "5.7": "Intercommunalité",
    "5.8": "Décision d'ester en justice",
    "6.1": "Police municipale",
    "6.2": "Pouvoirs du président du conseil général",
    "6.3": "Pouvoirs du président du conseil régional",
    "6.4": "Autres actes réglementaires",
    "6.5": "Actes pris au nom de l'État",
    "7.1": "Décisions budgétaires",
    "7.2": "Fiscalité",
    "7.3": "Emprunts",
    "7.4": "Interventions économiques",
    "7.5": "Subventions",
    "7.6": "Contributions budgétaires",
    "7.7": "Avances",
    "7.8": "Fonds de concours",
    "7.9": "Prise de participation",
    "7.10": "Divers",
    "8.1": "Enseignement",
    "8.2": "Aide sociale",
    "8.3": "Voirie",
    "8.4": "Aménagement du territoire",
    "8.5": "Politique de la ville habitat logement",
    "8.6": "Emploi formation professionnelle",
    "8.7": "Transports",
    "8.8": "Environnement",
    "8.9": "Culture",
    "9.1": "Autres domaines de compétences des communes",
    "9.2": "Autres domaines de compétences des départements",
    "9.3": "Autres domaines de compétences des régions",
    "9.4": "Vœux et motions",
}


def matiere_label(code: str) -> str:
    """« 7.6 Finances locales / Contributions budgétaires », for people."""
    return f"{code} {ACTES_LEVEL1[code.split('.')[0]]} / {ACTES_MATIERES[code]}"


def matiere_scdl_name(code: str) -> str:
    """DELIB_MATIERE_NOM: level 1 and level 2 titles in lower case, without commas or
    parentheses, joined by a slash (SCDL « délibérations » 2.1.5)."""

    def clean(text: str) -> str:
        return " ".join(text.replace(",", " ").replace("(", " ").replace(")", " ").split())

    level1 = ACTES_LEVEL1[code.split(".")[0]]
    return f"{clean(level1).lower()}/{clean(ACTES_MATIERES[code]).lower()}"


def clear_days(sent_on: dt.date, meeting_on: dt.date) -> int:
    """Jours francs between a convocation and the meeting: neither end counts."""
    return (meeting_on - sent_on).days - 1


def notice_respected(sent_on: dt.date, meeting_on: dt.date, notice_days: int) -> bool:
    return clear_days(sent_on, meeting_on) >= notice_days


def latest_sending_day(meeting_on: dt.date, notice_days: int) -> dt.date:
    """The last day a convocation may be sent for the meeting."""
    return meeting_on - dt.timedelta(days=notice_days + 1)


def quorum_needed(in_office: int) -> int:
    """Members who must be present: more than half of those in office."""
    return in_office // 2 + 1


@dataclass(frozen=True)
class Vote:
    effectif: int  # members in office with a vote (VOTE_EFFECTIF)
    present: int  # members present with a vote
    proxies: int  # pouvoirs held by present members
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def voters(self) -> int:
        """VOTE_REEL: those who took part (present, or represented by a proxy)."""
        return self.present + self.proxies


def vote_errors(vote: Vote) -> list[tuple[str, str]]:
    """What makes a recorded vote impossible, as (field, French message)."""
    errors: list[tuple[str, str]] = []
    counts = (
        vote.effectif,
        vote.present,
        vote.proxies,
        vote.votes_for,
        vote.votes_against,
        vote.abstentions,
    )
    if any(value < 0 for value in counts):
        return [("effectif", "Un décompte ne peut pas être négatif.")]
    if vote.present > vote.effectif:
        errors.append(("present", "Plus de présents que de membres en exercice."))
    if vote.proxies > vote.present:
        errors.append(("proxies", "Chaque présent ne peut détenir qu'un seul pouvoir."))
    if vote.present + vote.proxies > vote.effectif:
        errors.append(("proxies", "Présents et représentés dépassent l'effectif."))
    cast = vote.votes_for + vote.votes_against + vote.abstentions
    if cast > vote.voters:
        errors.append(
            (
                "votes_for",
                f"Pour, contre et abstentions font {cast} : plus que les {vote.voters} "
                "présents et représentés.",
            )
        )
    if vote.votes_for <= vote.votes_against:
        errors.append(
            ("votes_for", "La délibération n'est pas adoptée : pas plus de voix pour que contre.")
        )
    return errors
