"""The built-in surveys, as data: each kind has numbered versions of its questions.

A question keeps its `code` from one version to the next when it asks the same thing, so
that next year's campaign compares with this year's question by question (results.py); a
question whose meaning changes gets a new code. A campaign records the version it was sent
with, so its answers are always read with the questions that were asked.

Question types:
- `scale`: 1 (pas du tout satisfait) to 5 (très satisfait); 4 and 5 count as « satisfait »;
- `level`: a level 0 to 4, each described in plain French (the maturity diagnostic);
- `choice`: one option; `multiple`: between `min_picks` and `max_picks` options;
- `text`: free text (optional unless `required`).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


class Kind:
    SATISFACTION = "satisfaction"
    PRIORITIES = "priorities"
    MATURITY = "maturity"


SCALE = "scale"
LEVEL = "level"
CHOICE = "choice"
MULTIPLE = "multiple"
TEXT = "text"

SCALE_LABELS = {
    1: _("Pas du tout satisfait"),
    2: _("Peu satisfait"),
    3: _("Moyennement satisfait"),
    4: _("Satisfait"),
    5: _("Très satisfait"),
}
SATISFIED_FROM = 4
"""A scale answer of 4 or 5 is « satisfait », as in the national surveys (92 % reference)."""
NATIONAL_REFERENCE_RATE = 92
NATIONAL_REFERENCE_SOURCE = _(
    "Référence nationale des opérateurs publics de services numériques : 92 % de membres "
    "satisfaits."
)
TEXT_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Question:
    code: str
    type: str
    text: str
    help: str = ""
    options: tuple[tuple[str, str], ...] = ()
    """(code, label) for choice and multiple; (level, description) for level."""
    min_picks: int = 0
    max_picks: int = 0
    required: bool = True
    counts_in_satisfaction: bool = False
    result_text: str = ""
    """How the operator's results name the question when its text speaks to the member
    (« Vos thèmes prioritaires » → « Thèmes prioritaires des membres »)."""

    @property
    def heading(self) -> str:
        return str(self.result_text or self.text)

    @property
    def option_labels(self) -> dict[str, str]:
        return {code: str(label) for code, label in self.options}


@dataclass(frozen=True)
class Definition:
    kind: str
    version: int
    title: str
    intro: str
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)


def _scale(code: str, text, help_text="") -> Question:
    return Question(code, SCALE, text, help_text, counts_in_satisfaction=True)


SATISFACTION_V1 = Definition(
    Kind.SATISFACTION,
    1,
    _("Enquête annuelle de satisfaction"),
    _(
        "Quelques minutes pour nous dire ce que vous pensez des services mutualisés cette "
        "année. Une seule réponse par collectivité ; vous pouvez la modifier jusqu'à la date "
        "de clôture."
    ),
    (
        _scale(
            "offer_fit",
            _("L'offre de services répond-elle aux besoins de votre collectivité ?"),
        ),
        _scale("ease", _("Les services sont-ils faciles à utiliser au quotidien ?")),
        _scale(
            "availability",
            _("Les services sont-ils disponibles quand vous en avez besoin ?"),
            _("Pannes, interruptions, maintenance."),
        ),
        _scale(
            "support",
            _("L'assistance répond-elle vite et bien à vos demandes ?"),
            _("Délai de prise en charge et de résolution, qualité de la réponse."),
        ),
        _scale("overall", _("Dans l'ensemble, êtes-vous satisfait de la mutualisation ?")),
        Question(
            "comment",
            TEXT,
            _("Un commentaire, une suggestion ?"),
            _("Facultatif."),
            required=False,
        ),
    ),
)

PRIORITY_THEMES: tuple[tuple[str, str], ...] = (
    ("connectivity", _("Connectivité (très haut débit, téléphonie mobile)")),
    ("data", _("Gestion et valorisation des données")),
    ("online_services", _("Services dématérialisés aux habitants")),
    ("governance", _("Gouvernance et pilotage du numérique")),
    ("inclusion", _("Inclusion et médiation numériques")),
    ("security", _("Cybersécurité")),
    ("education", _("Éducation et numérique à l'école")),
    ("health", _("E-santé")),
    ("sustainability", _("Développement durable et sobriété numérique")),
    ("energy", _("Énergie")),
    ("smart_networks", _("Réseaux intelligents et objets connectés")),
    ("mobility", _("Mobilité")),
    ("economy", _("Développement économique")),
    ("heritage", _("Patrimoine et culture")),
    ("innovation", _("Innovation")),
)

PRIORITIES_V1 = Definition(
    Kind.PRIORITIES,
    1,
    _("Priorités des élus pour le mandat"),
    _(
        "Parmi les quinze thèmes ci-dessous, choisissez les 4 ou 5 qui comptent le plus pour "
        "votre collectivité pendant le mandat. L'opérateur en tire ses priorités de travail."
    ),
    (
        Question(
            "themes",
            MULTIPLE,
            _("Vos thèmes prioritaires"),
            _("Choisissez 4 ou 5 thèmes."),
            options=PRIORITY_THEMES,
            min_picks=4,
            max_picks=5,
            result_text=_("Thèmes prioritaires des membres"),
        ),
        Question(
            "comment",
            TEXT,
            _("Un projet précis derrière ces choix ?"),
            _("Facultatif."),
            required=False,
        ),
    ),
)


def _levels(*descriptions) -> tuple[tuple[str, str], ...]:
    return tuple((str(level), text) for level, text in enumerate(descriptions))


MATURITY_THEMES = (
    Question(
        "strategy",
        LEVEL,
        _("Pilotage et stratégie numérique"),
        options=_levels(
            _("Rien n'est prévu : le numérique se gère au jour le jour."),
            _("Des besoins sont repérés, sans plan écrit."),
            _("Un référent numérique est nommé."),
            _("Un plan numérique est écrit et voté."),
            _("Le plan est suivi, évalué et mis à jour chaque année."),
        ),
    ),
    Question(
        "online_services",
        LEVEL,
        _("Services en ligne aux habitants"),
        options=_levels(
            _("Aucune démarche en ligne."),
            _("Un site internet d'information."),
            _("Quelques démarches en ligne (état civil, contact)."),
            _("La plupart des démarches courantes sont en ligne."),
            _(
                "Démarches en ligne suivies de bout en bout, avec un accueil pour ceux qui "
                "en ont besoin."
            ),
        ),
    ),
    Question(
        "paperless",
        LEVEL,
        _("Dématérialisation interne"),
        help=_("Actes, flux comptables Hélios, parapheur, convocations des élus."),
        options=_levels(
            _("Tout se fait sur papier."),
            _("Les flux obligatoires (Hélios) sont dématérialisés."),
            _("Actes et Hélios sont dématérialisés."),
            _("Parapheur électronique et convocations en ligne en plus."),
            _("Toute la chaîne est dématérialisée, archivage électronique compris."),
        ),
    ),
    Question(
        "security",
        LEVEL,
        _("Sécurité et sauvegarde"),
        options=_levels(
            _("Pas de sauvegarde régulière ni d'antivirus à jour."),
            _("Sauvegarde ponctuelle, sur place."),
            _("Sauvegarde automatique avec une copie hors de la mairie."),
            _("Sauvegarde testée, mises à jour suivies, agents sensibilisés."),
            _("Plan de reprise écrit et exercé, incidents suivis."),
        ),
    ),
    Question(
        "gdpr",
        LEVEL,
        _("Protection des données personnelles (RGPD)"),
        options=_levels(
            _("Rien n'est fait."),
            _("Un délégué à la protection des données (DPO) est désigné."),
            _("Le registre des traitements est commencé."),
            _("Le registre est complet et les mentions d'information sont en place."),
            _("La conformité est revue chaque année, les demandes des personnes sont suivies."),
        ),
    ),
    Question(
        "equipment",
        LEVEL,
        _("Équipements et connexion"),
        options=_levels(
            _("Connexion lente et postes anciens."),
            _("Connexion suffisante, postes vieillissants."),
            _("Bonne connexion, postes renouvelés au besoin."),
            _("Très haut débit, parc suivi et renouvelé par plan."),
            _("Parc et réseau suivis, avec des outils de travail à distance sûrs."),
        ),
    ),
    Question(
        "skills",
        LEVEL,
        _("Compétences des agents et inclusion numérique"),
        options=_levels(
            _("Aucune formation au numérique."),
            _("Quelques agents formés à leur demande."),
            _("Un plan de formation inclut le numérique."),
            _("Agents formés, aide aux habitants éloignés du numérique."),
            _("Médiation numérique organisée sur le territoire, avec des partenaires."),
        ),
    ),
    Question(
        "open_data",
        LEVEL,
        _("Données et ouverture"),
        options=_levels(
            _("Les données ne sont ni rangées ni partagées."),
            _("Les données sont rangées dans des outils communs."),
            _("Quelques données sont publiées (délibérations, budget)."),
            _("Les données obligatoires sont publiées en données ouvertes."),
            _("Les données servent au pilotage et sont réutilisées par d'autres."),
        ),
    ),
)

MATURITY_V1 = Definition(
    Kind.MATURITY,
    1,
    _("Diagnostic de maturité numérique"),
    _(
        "Pour chacun des huit thèmes, choisissez le niveau qui décrit le mieux votre "
        "collectivité aujourd'hui (de 0 à 4). Il n'y a pas de bonne réponse : le diagnostic "
        "sert à l'opérateur pour vous accompagner, dans l'esprit du « Baromètre de la maturité "
        "numérique des territoires »."
    ),
    MATURITY_THEMES,
)

DEFINITIONS: dict[tuple[str, int], Definition] = {
    (d.kind, d.version): d for d in (SATISFACTION_V1, PRIORITIES_V1, MATURITY_V1)
}
CURRENT_VERSION = {Kind.SATISFACTION: 1, Kind.PRIORITIES: 1, Kind.MATURITY: 1}
KIND_LABELS = {
    Kind.SATISFACTION: _("Satisfaction annuelle"),
    Kind.PRIORITIES: _("Priorités des élus"),
    Kind.MATURITY: _("Diagnostic de maturité numérique"),
}


def definition(kind: str, version: int) -> Definition:
    return DEFINITIONS[(kind, version)]
