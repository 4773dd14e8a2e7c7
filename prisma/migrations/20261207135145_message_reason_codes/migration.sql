-- AlterTable
ALTER TABLE "Message" ADD COLUMN "errorCode" TEXT;
ALTER TABLE "Message" ADD COLUMN "errorParams" TEXT;
ALTER TABLE "Message" ADD COLUMN "statusReasonCode" TEXT;
ALTER TABLE "Message" ADD COLUMN "statusReasonParams" TEXT;

-- AlterTable
ALTER TABLE "MessageEvent" ADD COLUMN "reasonCode" TEXT;
ALTER TABLE "MessageEvent" ADD COLUMN "reasonParams" TEXT;

