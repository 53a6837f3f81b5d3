"""Moderation's API: reporting a call (C-10), staff opening a recording (C-12), and the staff
API of sanctions for support tooling (M-1 … M-9): warnings and their preview, direct
restrictions and bans, reviews and their decisions. Members who are not staff get 404 from
every staff endpoint; staff without the power get 403 with the code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from calls import selectors as calls
from calls.models import Call
from core.pagination import AscendingByKey, NewestFirst
from core.rest import errors, request_user
from moderation import selectors, services
from moderation.models import CaseStatus, ConductRule, TargetType
from moderation.serializers import (
    AppealCreateSerializer,
    AppealDecisionSerializer,
    AppealSerializer,
    BanCreateSerializer,
    BanSerializer,
    CaseAssignSerializer,
    CaseDetailSerializer,
    CaseResolveSerializer,
    CaseSerializer,
    DecisionSerializer,
    QueueFilterSerializer,
    RecordingAccessSerializer,
    RecordingLinkSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    RestrictionCreateSerializer,
    ReviewerReviewSerializer,
    ReviewSerializer,
    TargetReportCreateSerializer,
    WarningCreateSerializer,
    WarningPreviewRequestSerializer,
    WarningPreviewSerializer,
    WarningSerializer,
)


class CallReportView(APIView):
    @extend_schema(
        operation_id="calls_reports_create",
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, **errors(400, 401, 404, 409)},
        summary="A participant reports the call to support, with a C-9 reason and details.",
    )
    def post(self, request: Request, call_id: str) -> Response:
        user = request_user(request)
        call = calls.call_for(user, call_id)
        incoming = ReportCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = services.report_call(call, actor=user, **incoming.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class StaffRecordingView(APIView):
    @extend_schema(
        operation_id="moderation_calls_recording_open",
        request=RecordingAccessSerializer,
        responses={201: RecordingLinkSerializer, **errors(400, 401, 403, 404, 410)},
        summary="Staff open a reported or flagged call's recording (audited): a link of 5 min.",
    )
    def post(self, request: Request, call_id: str) -> Response:
        user = request_user(request)
        if not user.is_staff:
            raise Http404
        call = get_object_or_404(Call, pk=call_id)
        incoming = RecordingAccessSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        token = services.open_recording(call, actor=user, reason=incoming.validated_data["reason"])
        url = request.build_absolute_uri(reverse("moderation:recording_stream", args=[token]))
        return Response(
            RecordingLinkSerializer(
                {"url": url, "expires_in": settings.RECORDING_URL_SECONDS}
            ).data,
            status=status.HTTP_201_CREATED,
        )


# ---------------------------------------------------------------- sanctions (staff)
def _staff(request: Request) -> User:
    """Staff endpoints do not exist for members (404); powers are checked by the services."""
    user: User = request_user(request)
    if not user.is_staff:
        raise Http404
    return user


def _review_serializer(staff: User) -> type[ReviewSerializer]:
    return ReviewerReviewSerializer if selectors.may_see_deadline(staff) else ReviewSerializer


class WarningCreateView(APIView):
    @extend_schema(
        operation_id="moderation_warnings_create",
        request=WarningCreateSerializer,
        responses={201: WarningSerializer, **errors(400, 401, 403, 404, 409)},
        summary="Issue a warning (M-1); the response says what it caused (M-2).",
    )
    def post(self, request: Request) -> Response:
        staff = _staff(request)
        incoming = WarningCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        warning = services.issue_warning(
            data["user"],
            actor=staff,
            warning_type=data["type"],
            note=data["note"],
            evidence=services.Evidence(**data.get("evidence", {})),
        )
        return Response(WarningSerializer(warning).data, status=status.HTTP_201_CREATED)


class WarningPreviewView(APIView):
    @extend_schema(
        operation_id="moderation_warnings_preview",
        request=WarningPreviewRequestSerializer,
        responses={200: WarningPreviewSerializer, **errors(400, 401, 403, 404, 409)},
        summary="What a warning would cause, before it is issued; writes nothing.",
    )
    def post(self, request: Request) -> Response:
        staff = _staff(request)
        incoming = WarningPreviewRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        preview = services.preview_warning(
            incoming.validated_data["user"],
            actor=staff,
            warning_type=incoming.validated_data["type"],
        )
        return Response(
            WarningPreviewSerializer(
                {
                    "action": preview.outcome.action,
                    "rule": preview.outcome.rule,
                    "repeat": preview.outcome.repeat,
                    "earlier_warnings": preview.earlier,
                    "text": preview.text,
                }
            ).data
        )


class RestrictionCreateView(APIView):
    @extend_schema(
        operation_id="moderation_restrictions_create",
        request=RestrictionCreateSerializer,
        responses={201: ReviewSerializer, **errors(400, 401, 403, 404, 409)},
        summary="Restrict directly for a serious violation; opens a review (reviewers).",
    )
    def post(self, request: Request) -> Response:
        staff = _staff(request)
        incoming = RestrictionCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        review = services.restrict_user(
            incoming.validated_data["user"], actor=staff, reason=incoming.validated_data["reason"]
        )
        serializer = _review_serializer(staff)
        return Response(serializer(review).data, status=status.HTTP_201_CREATED)


class BanCreateView(APIView):
    @extend_schema(
        operation_id="moderation_bans_create",
        request=BanCreateSerializer,
        responses={201: BanSerializer, **errors(400, 401, 403, 404, 409)},
        summary="Ban permanently (M-7): in force at once; orders and money follow in batches.",
    )
    def post(self, request: Request) -> Response:
        staff = _staff(request)
        incoming = BanCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ban = services.ban_user(
            incoming.validated_data["user"], actor=staff, reason=incoming.validated_data["reason"]
        )
        return Response(BanSerializer(ban).data, status=status.HTTP_201_CREATED)


class ReviewListView(APIView):
    pagination_class = NewestFirst

    @extend_schema(
        operation_id="moderation_reviews_list",
        responses={200: ReviewerReviewSerializer(many=True), **errors(401, 404)},
        summary="Reviews, newest first. `deadline` only for reviewers (M-9).",
    )
    def get(self, request: Request) -> Response:
        staff = _staff(request)
        paginator = NewestFirst()
        paginator.ordering = ("-opened_at", "-id")
        page = paginator.paginate_queryset(
            selectors.reviews_for(staff).prefetch_related("warnings"), request, view=self
        )
        data = _review_serializer(staff)(page, many=True).data
        return paginator.get_paginated_response(data)


class ReviewDetailView(APIView):
    @extend_schema(
        operation_id="moderation_reviews_retrieve",
        responses={200: ReviewerReviewSerializer, **errors(401, 404)},
        summary="One review. `deadline` only for reviewers (M-9).",
    )
    def get(self, request: Request, review_id: str) -> Response:
        staff = _staff(request)
        review = selectors.review_for(staff, review_id)
        return Response(_review_serializer(staff)(review).data)


class ReviewDecisionView(APIView):
    @extend_schema(
        operation_id="moderation_reviews_decide",
        request=DecisionSerializer,
        responses={200: ReviewerReviewSerializer, **errors(400, 401, 403, 404, 409)},
        summary="Decide a review: restore or ban, with a reason (reviewers only).",
    )
    def post(self, request: Request, review_id: str) -> Response:
        staff = _staff(request)
        review = selectors.review_for(staff, review_id)
        incoming = DecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        review = services.decide_review(review, actor=staff, **incoming.validated_data)
        return Response(_review_serializer(staff)(review).data)


# ---------------------------------------------------------------- reports (members)
class ReportCreateView(APIView):
    @extend_schema(
        operation_id="moderation_reports_create",
        request=TargetReportCreateSerializer,
        responses={201: ReportSerializer, **errors(400, 401, 404, 409, 429)},
        summary="Report a message, a member or a call you can see, with a C-9 reason.",
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        incoming = TargetReportCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        target = selectors.report_target(user, data["target_type"], data["target_id"])
        report = services.file_report(
            target, actor=user, reason=data["reason"], details=data["details"]
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- the queue (staff, M-10)
def _case(request: Request, case_id: str) -> Any:
    return selectors.case_for_staff(_staff(request), case_id)


def _detail(case: Any) -> Any:
    return CaseDetailSerializer(case, context={"case_context": selectors.case_context(case)}).data


class QueueView(APIView):
    @extend_schema(
        operation_id="moderation_queue_list",
        parameters=[
            OpenApiParameter(
                "status", enum=CaseStatus.values, description="Default: open and in review."
            ),
            OpenApiParameter("target_type", enum=TargetType.values),
            OpenApiParameter("reason", enum=ConductRule.values),
            OpenApiParameter("assignee", str, description='A staff id, "me" or "none".'),
            OpenApiParameter("cursor", str),
        ],
        responses={200: CaseSerializer(many=True), **errors(400, 401, 404)},
        summary="The queue, most urgent first (keyset pages).",
    )
    def get(self, request: Request) -> Response:
        staff = _staff(request)
        filters = QueueFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paginator = AscendingByKey("rank")
        page = paginator.page(
            request, selectors.queue_for(staff, selectors.QueueFilters(**filters.validated_data))
        )
        return paginator.response(request, page, CaseSerializer(page.items, many=True).data)


class QueueNextView(APIView):
    @extend_schema(
        operation_id="moderation_queue_next",
        request=None,
        responses={200: CaseDetailSerializer, 204: None, **errors(401, 403, 404)},
        summary="Review next: the most urgent case nobody holds, now yours (204: queue empty).",
    )
    def post(self, request: Request) -> Response:
        staff = _staff(request)
        selectors.cases_for(staff)  # 404 without the queue
        case = services.review_next(staff)
        if case is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(_detail(selectors.case_for_staff(staff, case.pk)))


class CaseDetailView(APIView):
    @extend_schema(
        operation_id="moderation_queue_retrieve",
        responses={200: CaseDetailSerializer, **errors(401, 404)},
        summary="One case in context: reports, flags, the message's neighbours, the call.",
    )
    def get(self, request: Request, case_id: str) -> Response:
        return Response(_detail(_case(request, case_id)))


class CaseAssignView(APIView):
    @extend_schema(
        operation_id="moderation_queue_assign",
        request=CaseAssignSerializer,
        responses={200: CaseSerializer, **errors(400, 401, 403, 404, 409)},
        summary="Assign the case to a staff member (yourself included), or null to release it.",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = _case(request, case_id)
        incoming = CaseAssignSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        case = services.assign_case(
            case, actor=request_user(request), assignee=incoming.validated_data["assignee"]
        )
        return Response(CaseSerializer(case).data)


class CaseResolveView(APIView):
    @extend_schema(
        operation_id="moderation_queue_resolve",
        request=CaseResolveSerializer,
        responses={200: CaseSerializer, **errors(400, 401, 403, 404, 409)},
        summary="Decide the case: dismiss, warn, restrict or ban (through the sanctions).",
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = _case(request, case_id)
        incoming = CaseResolveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        case = services.resolve_case(
            case,
            actor=request_user(request),
            outcome=data["outcome"],
            note=data["note"],
            warning_type=data.get("warning_type"),
            member=data.get("user"),
        )
        return Response(CaseSerializer(case).data)


# ---------------------------------------------------------------- appeals (M-12)
class AppealCreateView(APIView):
    @extend_schema(
        operation_id="moderation_appeals_create",
        request=AppealCreateSerializer,
        responses={201: AppealSerializer, **errors(400, 401, 404, 409)},
        summary="Appeal a warning, a restriction or a ban of yours, once, within six months.",
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        incoming = AppealCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        statement = services.statement_of(user, incoming.validated_data["statement"])
        appeal = services.file_appeal(statement, user=user, text=incoming.validated_data["text"])
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealDecisionView(APIView):
    @extend_schema(
        operation_id="moderation_appeals_decide",
        request=AppealDecisionSerializer,
        responses={200: AppealSerializer, **errors(400, 401, 403, 404, 409)},
        summary="Uphold or reverse an appeal, with a reason (reviewers; not the decider).",
    )
    def post(self, request: Request, appeal_id: str) -> Response:
        staff = _staff(request)
        appeal = selectors.appeal_for(staff, appeal_id)
        incoming = AppealDecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        appeal = services.decide_appeal(appeal, actor=staff, **incoming.validated_data)
        return Response(AppealSerializer(appeal).data)
