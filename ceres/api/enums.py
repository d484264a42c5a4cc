from django.db import models


class PorteeCle(models.TextChoices):
    LECTURE = "lecture", "Lecture"
    ECRITURE = "ecriture", "Lecture et écriture"
