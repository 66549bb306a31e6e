"""What a student sees of the promotion's figures: each published evaluation's, under six results nothing."""
from grading.models import SemesterInstance
from grading.selectors.statistics import for_student, instance_statistics


def with_class_statistics(results):
    """Give each published evaluation line of a student's results (`portal.results`) what the student may
    see of the promotion's figures (`class_statistics`: None under six results); one query for the versions."""
    if results is None:
        return results
    instances = SemesterInstance.objects.filter(pk__in=[s.instance_id for s in results.semesters]).only(
        "pk", "results_version")
    every = {instance.pk: instance_statistics(semester_instance=instance) for instance in instances}
    for semester in results.semesters:
        for ue in semester.ues:
            for module in ue.modules:
                for line in module.evaluations:
                    line.class_statistics = for_student(
                        every[semester.instance_id].get(line.evaluation_id), evaluation_id=line.evaluation_id,
                        title=line.title, value=line.value, code=line.code,
                        max_score=line.max_score) if line.published else None
    return results

