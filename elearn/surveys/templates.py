"""The standard "evaluation of an activity", shipped with the app in English, Spanish,
Portuguese and French. Every new event, edition and hackathon gets a copy (`hooks.py`), which
its organisers may then edit like any form (the keys below stay, so results line up)."""

TEMPLATE_KEY = "evaluation"


def _rating(key: str, en: str, es: str, pt: str, fr: str, condition=None) -> dict:
    question = {
        "key": key, "type": "rating", "required": True,
        "text": {"en": en, "es": es, "pt": pt, "fr": fr},
        "settings": {
            "low": {"en": "Very poor", "es": "Muy malo", "pt": "Muito ruim",
                    "fr": "Très insuffisant"},
            "high": {"en": "Excellent", "es": "Excelente", "pt": "Excelente", "fr": "Excellent"},
        },
    }
    if condition:
        question["condition"] = condition
        question["required"] = False
    return question


ONLINE = {"key": "mode", "values": ["online"]}
IN_PERSON = {"key": "mode", "values": ["in_person"]}

EVALUATION = {
    "title": {"en": "Evaluation of the activity", "es": "Evaluación de la actividad",
              "pt": "Avaliação da atividade", "fr": "Évaluation de l’activité"},
    "sections": [
        {"title": {"en": "Your overall opinion", "es": "Su opinión general",
                   "pt": "Sua opinião geral", "fr": "Votre avis général"},
         "questions": [
            _rating("satisfaction", "Overall, how satisfied are you with the activity?",
                    "En general, ¿qué tan satisfecho/a está con la actividad?",
                    "De modo geral, quão satisfeito/a você está com a atividade?",
                    "Dans l’ensemble, êtes-vous satisfait(e) de l’activité ?"),
            _rating("objectives", "Were the objectives of the activity achieved?",
                    "¿Se lograron los objetivos de la actividad?",
                    "Os objetivos da atividade foram alcançados?",
                    "Les objectifs de l’activité ont-ils été atteints ?"),
            _rating("usefulness", "How useful is what you learned for your job?",
                    "¿Qué tan útil es lo aprendido para su trabajo?",
                    "Quão útil é o que você aprendeu para o seu trabalho?",
                    "Dans quelle mesure ce que vous avez appris est-il utile à votre travail ?"),
            _rating("speakers", "Quality of the speakers or instructors",
                    "Calidad de los expositores o docentes",
                    "Qualidade dos palestrantes ou instrutores",
                    "Qualité des intervenants ou formateurs"),
            _rating("organisation", "Organisation of the activity",
                    "Organización de la actividad", "Organização da atividade",
                    "Organisation de l’activité"),
         ]},
        {"title": {"en": "How you took part", "es": "Cómo participó",
                   "pt": "Como você participou", "fr": "Votre participation"},
         "questions": [
            {"key": "mode", "type": "single_choice", "required": True,
             "text": {"en": "How did you take part?", "es": "¿Cómo participó?",
                      "pt": "Como você participou?", "fr": "Comment avez-vous participé ?"},
             "options": [
                {"key": "in_person", "label": {"en": "In person", "es": "Presencial",
                                               "pt": "Presencial", "fr": "En présentiel"}},
                {"key": "online", "label": {"en": "Online", "es": "En línea",
                                            "pt": "On-line", "fr": "En ligne"}}]},
            _rating("platform", "Quality of the connection and the online platform",
                    "Calidad de la conexión y de la plataforma en línea",
                    "Qualidade da conexão e da plataforma on-line",
                    "Qualité de la connexion et de la plateforme en ligne", ONLINE),
            _rating("venue", "Venue and logistics", "Sede y logística", "Local e logística",
                    "Lieu et logistique", IN_PERSON),
         ]},
        {"title": {"en": "Looking ahead", "es": "Mirando hacia adelante",
                   "pt": "Olhando para o futuro", "fr": "Pour la suite"},
         "questions": [
            {"key": "improve", "type": "long_text",
             "text": {"en": "What should we improve?", "es": "¿Qué deberíamos mejorar?",
                      "pt": "O que deveríamos melhorar?",
                      "fr": "Que devrions-nous améliorer ?"}},
            {"key": "recommend", "type": "yes_no", "required": True,
             "text": {"en": "Would you recommend this activity to a colleague?",
                      "es": "¿Recomendaría esta actividad a un colega?",
                      "pt": "Você recomendaria esta atividade a um colega?",
                      "fr": "Recommanderiez-vous cette activité à un(e) collègue ?"}},
         ]},
    ],
}
