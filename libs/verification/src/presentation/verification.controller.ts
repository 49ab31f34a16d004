import { Body, Controller, Get, Header, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, CurrentActor, Meta, RequestMeta } from '@app/kernel';
import { ApiErrors, Authenticated, DomainError, httpConfig, HttpSettings, Public, RateLimit, ValidationFailedError } from '@app/core';
import { EmailVerificationUseCases } from '../application/email-verification.use-cases';
import { OtpFlows } from '../application/otp-flows.use-cases';
import { PasswordRecoveryUseCases, resetInput } from '@app/credentials';
import { RefreshCookie, TokenPair, TokenPairDto } from '@app/auth';
import { emailNotVerifiedPage, emailVerifiedPage, LinkProblem, PageContext, passwordResetDonePage, resetFormPage, resetLinkInvalidPage } from './html-pages';
import { allowedRedirect } from './redirects';
import {
  EmailResendDto,
  EmailVerifyDto,
  ForgotPasswordDto,
  OtpRequestDto,
  OtpRequestedDto,
  OtpVerifyDto,
  ResetPasswordDto,
  ResetPasswordFormDto,
  VerificationTokenDto,
} from './verification.dto';

const HTML = 'text/html; charset=utf-8';
const htmlResponse = (status: number, description: string) => ApiResponse({ status, description, content: { 'text/html': { schema: { type: 'string' }, example: `<!doctype html><html lang="en"><head><title>${description}</title></head><body><main><h1>${description}</h1></main></body></html>` } } });
/** A link's token as the query carries it; anything but one plausible token is treated as missing (a page says so). */
const linkToken = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : undefined);
const linkQueries = () => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  ApiQuery({ name: 'token', required: true, type: String, description: 'The token from the emailed link' })(target, key, descriptor);
  ApiQuery({ name: 'redirectTo', required: false, type: String, description: 'From the link; shown as "Continue to …" when REDIRECT_ALLOWLIST allows it' })(target, key, descriptor);
};
const tokenProblem = (error: unknown): 'invalid' | 'expired' | undefined => {
  if (!(error instanceof DomainError)) return undefined;
  if (error.code === 'VERIFICATION_TOKEN_EXPIRED') return 'expired';
  if (error.code === 'VERIFICATION_TOKEN_INVALID') return 'invalid';
  return undefined;
};

/** One-time codes, email verification and password recovery (`/auth/otp/*`, `/auth/email/*`, `/auth/password/*`). */
@ApiTags('auth')
@Controller('auth')
export class VerificationController {
  constructor(
    private readonly otp: OtpFlows,
    private readonly emails: EmailVerificationUseCases,
    private readonly recovery: PasswordRecoveryUseCases,
    @Inject(httpConfig.KEY) private readonly http: HttpSettings,
  ) {}

  /** The pages' product name and, when the allow-list accepts it, the link's `redirectTo`. */
  private pageContext(redirectTo: unknown): PageContext {
    return { productName: this.http.productName, redirectTo: allowedRedirect(redirectTo, this.http.redirectAllowlist) };
  }

  /** A `redirectTo` sent to the API: absent, or allowed by REDIRECT_ALLOWLIST (400 REDIRECT_NOT_ALLOWED otherwise). */
  private checkedRedirect(redirectTo: string | undefined): string | undefined {
    if (redirectTo === undefined) return undefined;
    const allowed = allowedRedirect(redirectTo, this.http.redirectAllowlist);
    if (!allowed) {
      throw new ValidationFailedError('redirectTo is not an allowed address (REDIRECT_ALLOWLIST)', [{ field: 'redirectTo', message: 'not an allowed address' }], 'REDIRECT_NOT_ALLOWED');
    }
    return allowed;
  }

  @Post('otp/request')
  @Public()
  @HttpCode(202)
  @RateLimit('otp-request')
  @ApiOperation({ summary: 'Send a six-digit one-time code by SMS or email; answers the same whether or not an account exists' })
  @ApiAcceptedResponse({ description: 'Accepted: when the code expires and when another may be asked for (sent only where it can be used)', type: OtpRequestedDto })
  @ApiErrors('OTP_RESEND_TOO_SOON', 'OTP_DAILY_LIMIT')
  requestOtp(@Meta() meta: RequestMeta, @Body() body: OtpRequestDto): Promise<OtpRequestedDto> {
    return this.otp.request(meta, body);
  }

  @Post('otp/verify')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @RateLimit('otp-verify')
  @ApiOperation({ summary: 'Check a one-time code: purpose login starts a session (token pair); other purposes return a verificationToken' })
  @ApiExtraModels(TokenPairDto, VerificationTokenDto)
  @ApiOkResponse({ description: 'Purpose login: a token pair (the session has started); other purposes: a single-use verificationToken', schema: { oneOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(VerificationTokenDto) }] } })
  @ApiErrors('OTP_INVALID', 'OTP_EXPIRED', 'OTP_LOCKED', 'INVALID_CREDENTIALS', 'MFA_REQUIRED', 'ACCOUNT_DISABLED', 'UNKNOWN_CLIENT', 'LOGIN_LOCKED')
  @RefreshCookie('issue')
  async verifyOtp(@Meta() meta: RequestMeta, @Body() body: OtpVerifyDto): Promise<TokenPair | VerificationTokenDto> {
    const result = await this.otp.verify(meta, body);
    return 'pair' in result ? result.pair : { verificationToken: result.verificationToken };
  }

  @Get('email/verify')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The emailed verification link: verifies the address and answers a small HTML page saying what happened' })
  @ApiProduces('text/html')
  @linkQueries()
  @htmlResponse(200, 'The address is verified')
  @htmlResponse(400, 'The link is incomplete, invalid, used, replaced or expired')
  async openEmailVerificationLink(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(HTML);
    const ctx = this.pageContext(query?.redirectTo);
    const token = linkToken(query?.token);
    const failed = (problem: LinkProblem) => {
      reply.status(400);
      return emailNotVerifiedPage(ctx, problem);
    };
    if (!token) return failed('missing');
    try {
      await this.emails.verify(token);
      return emailVerifiedPage(ctx);
    } catch (error) {
      const problem = tokenProblem(error);
      if (!problem) throw error;
      return failed(problem);
    }
  }

  @Post('email/verify')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Verify the email address with the token from the emailed link' })
  @ApiResponse({ status: 204, description: 'The address is verified' })
  @ApiErrors('VERIFICATION_TOKEN_INVALID', 'VERIFICATION_TOKEN_EXPIRED', 'EMAIL_TAKEN')
  async verifyEmail(@Body() body: EmailVerifyDto): Promise<void> {
    await this.emails.verify(body.token);
  }

  @Post('email/resend')
  @Authenticated()
  @HttpCode(202)
  @RateLimit('email-resend')
  @ApiOperation({ summary: 'Send a new verification link to the account’s email address (older links stop working)' })
  @ApiResponse({ status: 202, description: 'A link is on its way' })
  @ApiBody({ type: EmailResendDto, required: false })
  @ApiErrors('EMAIL_MISSING', 'EMAIL_ALREADY_VERIFIED', 'REDIRECT_NOT_ALLOWED', 'CONTACT_CHANGE_LIMIT')
  async resendEmailVerification(@CurrentActor() actor: Actor, @Body() body: EmailResendDto): Promise<void> {
    await this.emails.resend(actor, this.checkedRedirect(body?.redirectTo));
  }

  @Post('password/forgot')
  @Public()
  @HttpCode(202)
  @RateLimit('password-forgot')
  @ApiOperation({ summary: 'Ask for a password reset link and code; always 202, whether or not the account exists' })
  @ApiResponse({ status: 202, description: 'If the account exists, a link and a code are on their way' })
  @ApiErrors('REDIRECT_NOT_ALLOWED')
  async forgotPassword(@Meta() meta: RequestMeta, @Body() body: ForgotPasswordDto): Promise<void> {
    await this.recovery.forgot(meta, body.login, this.checkedRedirect(body.redirectTo));
  }

  @Get('password/reset')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The emailed reset link: an HTML form to choose a new password' })
  @ApiProduces('text/html')
  @linkQueries()
  @htmlResponse(200, 'The form')
  @htmlResponse(400, 'The link is incomplete, invalid, used, replaced or expired')
  async openPasswordResetLink(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(HTML);
    const ctx = this.pageContext(query?.redirectTo);
    const token = linkToken(query?.token);
    const failed = (problem: LinkProblem) => {
      reply.status(400);
      return resetLinkInvalidPage(ctx, problem);
    };
    if (!token) return failed('missing');
    try {
      const username = await this.recovery.checkToken(token);
      return resetFormPage(ctx, { token, username });
    } catch (error) {
      const problem = tokenProblem(error);
      if (!problem) throw error;
      return failed(problem);
    }
  }

  @Post('password/reset')
  @Public()
  @HttpCode(204)
  @RateLimit('password-reset')
  @ApiOperation({ summary: 'Set a new password with a token (from the link) or a login and code; single use; ends every session' })
  @ApiResponse({ status: 204, description: 'The password is changed, every session ended, the account unlocked' })
  @ApiErrors('VERIFICATION_TOKEN_INVALID', 'VERIFICATION_TOKEN_EXPIRED', 'OTP_INVALID', 'OTP_EXPIRED', 'OTP_LOCKED', 'PASSWORD_TOO_WEAK', 'ACCOUNT_DISABLED')
  async resetPassword(@Meta() meta: RequestMeta, @Body() body: ResetPasswordDto): Promise<void> {
    await this.recovery.reset(meta, resetInput(body));
  }

  @Post('password/reset/form')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @RateLimit('password-reset-form')
  @ApiOperation({ summary: 'Submission of the reset page’s form (form-encoded); answers an HTML page' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: ResetPasswordFormDto })
  @ApiProduces('text/html')
  @htmlResponse(200, 'The password is changed')
  @htmlResponse(400, 'The link cannot be used, or the password is not acceptable')
  async submitPasswordResetForm(@Meta() meta: RequestMeta, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.type(HTML);
    const ctx = this.pageContext(body?.redirectTo);
    const token = linkToken(body?.token);
    const newPassword = typeof body?.newPassword === 'string' ? body.newPassword : '';
    const username = typeof body?.username === 'string' ? body.username.slice(0, 254) : '';
    reply.status(400);
    if (!token) return resetLinkInvalidPage(ctx, 'missing');
    try {
      await this.recovery.reset(meta, { token, newPassword });
      reply.status(200);
      return passwordResetDonePage(ctx);
    } catch (error) {
      const problem = tokenProblem(error);
      if (problem) return resetLinkInvalidPage(ctx, problem);
      if (error instanceof DomainError && error.kind === 'invalid') return resetFormPage(ctx, { token, username, error: error.message });
      throw error;
    }
  }
}
